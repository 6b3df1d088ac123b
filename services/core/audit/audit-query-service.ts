import type { AuditQueryStore } from '../../storage/audit-query-store.js';
import { auditActor } from './audit-actor.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../../protocol/domain-error.js';
import { decodeCursor, encodeCursor, pageSize } from '../pagination/cursor.js';
import { secretPermissions } from '../secrets/secret-permissions.js';
import { toAuditEventView } from './audit-event-view.js';
import type { AuditLog } from './audit-log.js';
import type { AuditEventView, AuditFilter } from './audit-query-types.js';
import type { AuditVerification } from './audit-verifier.js';
import type { IncrementalAuditVerifier } from './incremental-audit-verifier.js';

/** A page of `auditEvents`: edges newest first, and whether older ones remain. */
export interface AuditEventPage {
  items: Array<{ cursor: string; node: AuditEventView }>;
  hasNextPage: boolean;
}

export interface AuditQueryServiceDeps {
  auditQueryStore: Pick<AuditQueryStore, 'listForWorkspace'>;
  verifier: Pick<IncrementalAuditVerifier, 'verify'>;
  /** When given, refusals are recorded as `auth.denied` (SPEC §8: every denial). */
  auditLog?: Pick<AuditLog, 'appendCommitted'>;
}

// The tag keeps a cursor of another connection (secrets) from being taken for an audit one.
const CURSOR_TAG = 'audit';
const isAuditKey = (key: unknown[]): key is [string, number] =>
  key.length === 2 && key[0] === CURSOR_TAG && Number.isSafeInteger(key[1]) && (key[1] as number) > 0;

/**
 * The auditor's use cases (SPEC §4–5, §8): `auditEvents` and `verifyAuditLog`,
 * both for `audit:read` tokens only. Listing is scoped to the token's workspace.
 */
export function createAuditQueryService({ auditQueryStore, verifier, auditLog }: AuditQueryServiceDeps) {
  async function requireAuditRead(p: Principal, operation: string): Promise<void> {
    if (secretPermissions.canReadAudit(p)) return;
    await auditLog?.appendCommitted([
      {
        action: 'auth.denied',
        outcome: 'DENIED',
        ...auditActor(p),
        reason: `FORBIDDEN: ${operation} needs audit:read`,
      },
    ]);
    throw new DomainError('FORBIDDEN', 'Reading the audit log needs a token with the audit:read scope.');
  }

  return {
    /**
     * The caller's workspace's events matching every given filter, newest first.
     * `from` is inclusive and `to` exclusive; empty strings filter nothing. Cursors
     * are keyed on the event id, so pages stay stable while new events arrive.
     */
    async listEvents(
      p: Principal,
      filter: AuditFilter | null | undefined,
      first?: number | null,
      after?: string | null,
    ): Promise<AuditEventPage> {
      await requireAuditRead(p, 'auditEvents');
      const limit = pageSize(first);
      const beforeId = after ? decodeCursor(after, isAuditKey)[1] : undefined;
      const f = filter ?? {};
      const rows = await auditQueryStore.listForWorkspace({
        workspaceId: p.workspaceId,
        action: f.action ?? undefined,
        outcome: f.outcome ?? undefined,
        actorId: f.actorId ?? undefined,
        secretName: f.secretName ?? undefined,
        runId: f.runId ?? undefined,
        workflowId: f.workflowId ?? undefined,
        principal: f.principal ?? undefined,
        triggeredBy: f.triggeredBy ?? undefined,
        workflowOwner: f.workflowOwner ?? undefined,
        stepId: f.stepId ?? undefined,
        grantId: f.grantId ?? undefined,
        from: f.from ?? undefined,
        to: f.to ?? undefined,
        beforeId,
        // One more than asked tells whether another page exists.
        limit: limit + 1,
      });
      return {
        items: rows.slice(0, limit).map((row) => ({
          cursor: encodeCursor([CURSOR_TAG, Number(row.id)]),
          node: toAuditEventView(row),
        })),
        hasNextPage: rows.length > limit,
      };
    },

    /**
     * Verifies the whole log, not just the caller's workspace: a writer's chain
     * interleaves every workspace it served, so a workspace's events cannot be
     * checked without their neighbours. What comes back is the caller's: their
     * workspace's count, and where the log broke only when it is one of their events.
     */
    async verify(p: Principal): Promise<AuditVerification> {
      await requireAuditRead(p, 'verifyAuditLog');
      return verifier.verify(p.workspaceId);
    },
  };
}

export type AuditQueryService = ReturnType<typeof createAuditQueryService>;
