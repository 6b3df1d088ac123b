import { retryOnTransientAbort } from '../../storage/retrying-transaction.js';
import type { AuditCheckpointStore } from '../../storage/audit-checkpoint-store.js';
import type { AuditStore } from '../../storage/audit-store.js';
import type { AuditEventRow } from '../../storage/entities/audit-event-entity.js';
import { DomainError } from '../../protocol/domain-error.js';
import { auditEventHash, chainGenesisHash } from './audit-event.js';
import type { AuditLog } from './audit-log.js';
import type { CheckpointReason } from './checkpoint-body.js';
import type { WriteOptions } from './checkpoint-writer.js';

/** What a retention run removed. */
export interface AuditPruneResult {
  deleted: number;
  /** Chains that lost at least one event. */
  chainsPruned: number;
  /** Checkpoints older than the newest full one before the cut-off, removed with the events they covered. */
  checkpointsDeleted: number;
  before: Date;
}

export interface PruneAuditLogOptions {
  auditStore: Pick<
    AuditStore,
    'transaction' | 'listChains' | 'lockChainHead' | 'listChainEvents' | 'pruneChainThrough'
  >;
  /** Events that occurred strictly before this instant may go. */
  before: Date;
  /** When given, the prune is itself recorded (`audit.prune`) before anything is deleted. */
  auditLog?: Pick<AuditLog, 'appendCommitted'>;
  actorId?: string;
  /** Events examined per transaction, bounding how long a chain's appends wait. */
  batchSize?: number;
  /**
   * Signs the prune (SPEC §8.1): a checkpoint naming, per chain, the event through
   * which it may be cut is written before anything is deleted, and one after. Without
   * it an anchor moved by retention would look like a database writer's doing.
   */
  checkpoints?: { write(reason: CheckpointReason, options?: WriteOptions): Promise<unknown> };
  /** Where old checkpoints go with the events: the newest full one before `before` stays, and all after it. */
  checkpointStore?: Pick<AuditCheckpointStore, 'newestFullSeqBefore' | 'deleteBefore'>;
}

/**
 * Retention (`STRONGROOM_AUDIT_RETENTION_DAYS`). From each chain it removes only
 * the contiguous oldest part older than `before` — never a middle, which would be
 * indistinguishable from tampering — and moves the chain's pruned anchor
 * (`pruned_through_seq`/`_hash`) to the last removed event in the same transaction,
 * so the verifier starts the kept part from that hash. The part to delete is
 * re-verified first: pruning refuses to destroy the evidence of a broken chain.
 */
export async function pruneAuditLog(options: PruneAuditLogOptions): Promise<AuditPruneResult> {
  const { auditStore, before, auditLog } = options;
  const batchSize = options.batchSize ?? 1000;
  // Recorded first, so that no prune ever goes unrecorded (fail closed).
  await auditLog?.appendCommitted([
    {
      action: 'audit.prune',
      outcome: 'SUCCESS',
      actorType: 'operator',
      actorId: options.actorId,
      reason: `retention: events before ${before.toISOString()}`,
    },
  ]);
  const targets = options.checkpoints ? await planPrune(auditStore, before, batchSize) : undefined;
  if (targets && targets.size > 0) await options.checkpoints!.write('prune-intent', { pruneTo: targets });
  let deleted = 0;
  let chainsPruned = 0;
  for (const chain of await auditStore.listChains()) {
    const target = targets?.get(chain.chainId);
    if (targets && !target) continue;
    let chainDeleted = 0;
    for (let more = true; more;) {
      // Re-run whole if it collided (on Galera: with the chain owner's append on another node).
      const step = await retryOnTransientAbort(() =>
        auditStore.transaction((tx) =>
          pruneBatch(auditStore, tx, chain.chainId, before, batchSize, target?.seq),
        ),
      );
      chainDeleted += step.deleted;
      more = step.more;
    }
    deleted += chainDeleted;
    if (chainDeleted > 0) chainsPruned += 1;
  }
  if (targets && targets.size > 0) await options.checkpoints!.write('prune-done');
  let checkpointsDeleted = 0;
  const keepFrom = (await options.checkpointStore?.newestFullSeqBefore(before)) ?? 0;
  if (keepFrom > 0) checkpointsDeleted = await options.checkpointStore!.deleteBefore(keepFrom);
  return { deleted, chainsPruned, checkpointsDeleted, before };
}

/**
 * Where each chain will be cut: its last event older than `before` in the contiguous
 * old prefix, read (and checked intact) before anything is deleted, so the prune can be
 * signed first.
 */
async function planPrune(
  auditStore: PruneAuditLogOptions['auditStore'],
  before: Date,
  batchSize: number,
): Promise<Map<string, { seq: number; hash: string }>> {
  const targets = new Map<string, { seq: number; hash: string }>();
  for (const chain of await auditStore.listChains()) {
    let seq = Number(chain.prunedThroughSeq);
    let prevHash = seq > 0 ? chain.prunedThroughHash : chainGenesisHash(chain.chainId);
    let last: AuditEventRow | undefined;
    for (let done = false; !done;) {
      const rows = await auditStore.transaction((tx) =>
        auditStore.listChainEvents(tx, chain.chainId, seq, batchSize),
      );
      done = rows.length < batchSize;
      for (const row of rows) {
        if (row.occurredAt.getTime() >= before.getTime()) {
          done = true;
          break;
        }
        assertIntact(row, seq + 1, prevHash);
        seq = Number(row.chainSeq);
        prevHash = row.hash;
        last = row;
      }
    }
    if (last) targets.set(chain.chainId, { seq: Number(last.chainSeq), hash: last.hash });
  }
  return targets;
}

type Tx = Parameters<Parameters<AuditStore['transaction']>[0]>[0];

/** One transaction: lock the chain head (appends to this chain wait), check and delete one batch of its oldest events. */
async function pruneBatch(
  auditStore: PruneAuditLogOptions['auditStore'],
  tx: Tx,
  chainId: string,
  before: Date,
  batchSize: number,
  /** A signed prune cuts no further than this. */
  throughSeq = Number.MAX_SAFE_INTEGER,
): Promise<{ deleted: number; more: boolean }> {
  const head = await auditStore.lockChainHead(tx, chainId);
  if (!head) return { deleted: 0, more: false };
  const anchorSeq = Number(head.prunedThroughSeq);
  let prevHash = anchorSeq > 0 ? head.prunedThroughHash : chainGenesisHash(chainId);
  const rows = await auditStore.listChainEvents(tx, chainId, anchorSeq, batchSize);
  let last: AuditEventRow | undefined;
  for (const row of rows) {
    if (row.occurredAt.getTime() >= before.getTime() || Number(row.chainSeq) > throughSeq) break;
    assertIntact(row, Number(last?.chainSeq ?? anchorSeq) + 1, prevHash);
    prevHash = row.hash;
    last = row;
  }
  if (!last) return { deleted: 0, more: false };
  await auditStore.pruneChainThrough(tx, chainId, {
    prunedThroughSeq: Number(last.chainSeq),
    prunedThroughHash: last.hash,
  });
  // The prefix was just checked to be contiguous, so its length is the count deleted.
  const deleted = Number(last.chainSeq) - anchorSeq;
  // Every row of a full batch was old enough: the prefix may go on.
  return { deleted, more: rows.length === batchSize && last === rows.at(-1) };
}

function assertIntact(row: AuditEventRow, expectedSeq: number, prevHash: string): void {
  const { id: _id, hash, ...unsealed } = row;
  if (
    Number(row.chainSeq) !== expectedSeq ||
    row.prevHash !== prevHash ||
    auditEventHash(unsealed) !== hash
  ) {
    throw new DomainError(
      'CONFLICT',
      `Audit event ${row.id} does not verify; refusing to prune the evidence. Run \`strongroom audit verify\`.`,
      { details: { firstBrokenId: String(row.id) } },
    );
  }
}
