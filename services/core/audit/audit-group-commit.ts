import { createSlotBatcher } from '../batching/slot-batcher.js';
import type { AuditEventInput, ChainedAuditEvent } from './audit-event.js';

/**
 * Group commit for audit appends that need their own transaction. There are `lanes`
 * batch slots, each writing a hash chain of its own, so batches on different lanes
 * never wait for each other's chain-head lock and the database merges their log
 * syncs. A caller arriving while a lane is free starts a batch on it at once (no added
 * latency when idle); callers arriving while every lane is busy wait and all go
 * together in the next batch, so a busy resolver pays one transaction and one commit
 * for many calls. Each caller is answered only by the commit that holds its records,
 * with exactly its records; if that commit fails, every caller in the batch gets the
 * failure (fail closed). A lane runs one batch at a time, so its chain has exactly
 * one writer.
 */
export function createAuditGroupCommit({
  commitBatch,
  lanes = 4,
  maxBatchEvents = 2_000,
}: {
  /** Writes and commits `inputs` in one transaction on `lane`'s chain; resolves with the chained events in input order. */
  commitBatch: (lane: number, inputs: AuditEventInput[]) => Promise<ChainedAuditEvent[]>;
  /** Batches written at once, each on its own lane (chain). */
  lanes?: number;
  /** A batch stops taking callers past this many records (a single larger caller still goes alone). */
  maxBatchEvents?: number;
}) {
  const batcher = createSlotBatcher<AuditEventInput[], ChainedAuditEvent[]>({
    slots: lanes,
    weightOf: (inputs) => inputs.length,
    maxBatchWeight: maxBatchEvents,
    async runBatch(lane, callers) {
      const events = await commitBatch(lane, callers.length === 1 ? callers[0]! : callers.flat());
      let offset = 0;
      return callers.map((inputs) => events.slice(offset, (offset += inputs.length)));
    },
  });

  return {
    /** Resolves once `inputs` are committed (in some batch); rejects if that batch's commit failed. */
    append(inputs: AuditEventInput[]): Promise<ChainedAuditEvent[]> {
      if (inputs.length === 0) return Promise.resolve([]);
      return batcher.submit(inputs);
    },
  };
}

export type AuditGroupCommit = ReturnType<typeof createAuditGroupCommit>;
