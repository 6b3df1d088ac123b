import type { AuditEventRow } from '../../storage/entities/audit-event-entity.js';
import type { AuditEventView } from './audit-query-types.js';

const orNull = (value: string): string | null => (value === '' ? null : value);

/** A stored row as callers see it: the '' and 0 "not applicable" placeholders become null. */
export function toAuditEventView(row: AuditEventRow): AuditEventView {
  const version = Number(row.version);
  return {
    id: String(row.id),
    occurredAt: row.occurredAt,
    action: row.action,
    outcome: row.outcome,
    actorType: row.actorType,
    actorId: orNull(row.actorId),
    workspaceId: orNull(row.workspaceId),
    secretId: orNull(row.secretId),
    secretName: orNull(row.secretName),
    scope: orNull(row.scope),
    version: version === 0 ? null : version,
    workflowId: orNull(row.workflowId),
    runId: orNull(row.runId),
    trigger: orNull(row.trigger),
    runner: orNull(row.runner),
    requestId: orNull(row.requestId),
    sourceAddress: orNull(row.sourceAddress),
    principal: orNull(row.principal),
    triggeredBy: orNull(row.triggeredBy),
    workflowOwner: orNull(row.workflowOwner),
    stepId: orNull(row.stepId),
    grantId: orNull(row.grantId),
    occurrences: Number(row.occurrences ?? 1),
  };
}

/**
 * One line of `strongroom audit export`: the view plus the chain position, hash and
 * reason, so a SIEM holding an export can later prove the database was rewritten
 * (an exported hash that no longer matches). Nothing here is or derives from a value.
 */
export interface AuditExportRecord extends AuditEventView {
  reason: string | null;
  chainId: string;
  chainSeq: number;
  hash: string;
}

/** The export form of a stored row. */
export function toAuditExportRecord(row: AuditEventRow): AuditExportRecord {
  return {
    ...toAuditEventView(row),
    reason: orNull(row.reason),
    chainId: row.chainId,
    chainSeq: Number(row.chainSeq),
    hash: row.hash,
  };
}
