import type { DataSource } from 'typeorm';
import { AuditEventEntity, type AuditEventRow } from './entities/audit-event-entity.js';
import { withStorageErrors } from './storage-errors.js';

/** Exact-match filters on stored columns; '' and absent both mean "any". */
export interface AuditEventMatch {
  action?: string;
  outcome?: string;
  actorId?: string;
  secretName?: string;
  runId?: string;
  workflowId?: string;
  principal?: string;
  triggeredBy?: string;
  workflowOwner?: string;
  stepId?: string;
  grantId?: string;
  /** Inclusive lower bound on occurredAt. */
  from?: Date;
  /** Exclusive upper bound on occurredAt. */
  to?: Date;
}

/** A page of one workspace's events, newest first, keyset-paged on id. */
export interface AuditWorkspaceQuery extends AuditEventMatch {
  workspaceId: string;
  /** Only events with a smaller id (the last id of the previous page). */
  beforeId?: number;
  limit: number;
}

/** A page of the export stream, oldest first. */
export interface AuditExportQuery {
  /** Only events with a larger id (the last id of the previous page). */
  afterId: number;
  workspaceId?: string;
  since?: Date;
  limit: number;
}

const columns: Array<[keyof AuditEventMatch & string, string]> = [
  ['action', 'action'],
  ['outcome', 'outcome'],
  ['actorId', 'actorId'],
  ['secretName', 'secretName'],
  ['runId', 'runId'],
  ['workflowId', 'workflowId'],
  ['principal', 'principal'],
  ['triggeredBy', 'triggeredBy'],
  ['workflowOwner', 'workflowOwner'],
  ['stepId', 'stepId'],
  ['grantId', 'grantId'],
];

/**
 * Read queries over the audit log for auditors and exports. Pages are keyed on the
 * auto-increment id, never on an offset, so events appended meanwhile (always with a
 * larger id) do not shift the pages a reader is walking.
 */
export function createAuditQueryStore({ dataSource }: { dataSource: DataSource }) {
  return withStorageErrors({
    listForWorkspace(q: AuditWorkspaceQuery): Promise<AuditEventRow[]> {
      const qb = dataSource.manager
        .createQueryBuilder(AuditEventEntity, 'e')
        .where('e.workspaceId = :workspaceId', { workspaceId: q.workspaceId });
      for (const [key, property] of columns) {
        const value = q[key];
        if (typeof value === 'string' && value !== '') {
          qb.andWhere(`e.${property} = :${key}`, { [key]: value });
        }
      }
      if (q.from) qb.andWhere('e.occurredAt >= :from', { from: q.from });
      if (q.to) qb.andWhere('e.occurredAt < :to', { to: q.to });
      if (q.beforeId !== undefined) qb.andWhere('e.id < :beforeId', { beforeId: q.beforeId });
      return qb.orderBy('e.id', 'DESC').limit(q.limit).getMany();
    },

    listForExport(q: AuditExportQuery): Promise<AuditEventRow[]> {
      const qb = dataSource.manager
        .createQueryBuilder(AuditEventEntity, 'e')
        .where('e.id > :afterId', { afterId: q.afterId });
      if (q.workspaceId !== undefined)
        qb.andWhere('e.workspaceId = :workspaceId', { workspaceId: q.workspaceId });
      if (q.since) qb.andWhere('e.occurredAt >= :since', { since: q.since });
      return qb.orderBy('e.id', 'ASC').limit(q.limit).getMany();
    },
  });
}

export type AuditQueryStore = ReturnType<typeof createAuditQueryStore>;
