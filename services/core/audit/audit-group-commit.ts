import { distinctPreconditions, type CommitPrecondition } from '../../storage/commit-precondition.js';
import { createSlotBatcher } from '../batching/slot-batcher.js';
import type { AuditEventInput, ChainedAuditEvent } from './audit-event.js';

/** One caller's append: its records, and the preconditions they are conditional on. */
interface AppendRequest {
  inputs: AuditEventInput[];
  preconditions: readonly CommitPrecondition[];
}

/**
 * Group commit for audit appends that need their own transaction. There are `lanes`
 * batch slots, each writing a hash chain of its own, so batches on different lanes
 * never wait for each other's chain-head lock and the database merges their log
 * syncs. Callers of one turn of the event loop (the calls one socket read brought)
 * start together when that turn ends (no added latency when idle): as one batch, or,
 * when there are enough of them, as even batches on several free lanes; callers
 * arriving while every lane is busy wait and go together once one is free, so a busy
 * resolver pays one transaction and one commit for many calls. Each caller is answered
 * only by the commit that holds its records, with exactly its records; if that commit
 * fails, every caller in the batch gets the failure (fail closed). A lane runs one
 * batch at a time, so its chain has exactly one writer. A batch is conditional on
 * every precondition its callers gave: if any fails, none of it is written and every
 * caller in it gets the `precondition-failed` error (each then decides again; callers
 * whose own condition held simply find it still holds).
 */
export function createAuditGroupCommit({
  commitBatch,
  lanes = 4,
  maxBatchEvents = 2_000,
  minSplitEvents = 64,
}: {
  /**
   * Writes and commits `inputs` in one transaction on `lane`'s chain, only if every
   * precondition holds; resolves with the chained events in input order.
   */
  commitBatch: (
    lane: number,
    inputs: AuditEventInput[],
    preconditions: readonly CommitPrecondition[],
  ) => Promise<ChainedAuditEvent[]>;
  /** Batches written at once, each on its own lane (chain). */
  lanes?: number;
  /** A batch stops taking callers past this many records (a single larger caller still goes alone). */
  maxBatchEvents?: number;
  /**
   * Callers waiting together are spread over several free lanes only in batches of at
   * least this many records. A batch's transaction costs the database about as much CPU
   * as seven records, so smaller batches would pay it too often; past this, two or more
   * batches side by side let the database use every core, and the first callers are
   * answered while the rest still commit.
   */
  minSplitEvents?: number;
}) {
  const batcher = createSlotBatcher<AppendRequest, ChainedAuditEvent[]>({
    slots: lanes,
    weightOf: (request) => request.inputs.length,
    maxBatchWeight: maxBatchEvents,
    minSplitWeight: minSplitEvents,
    async runBatch(lane, callers) {
      const events = await commitBatch(
        lane,
        callers.length === 1 ? callers[0]!.inputs : callers.flatMap((c) => c.inputs),
        distinctPreconditions(callers.flatMap((c) => c.preconditions)),
      );
      let offset = 0;
      return callers.map(({ inputs }) => events.slice(offset, (offset += inputs.length)));
    },
  });

  return {
    /**
     * Resolves once `inputs` are committed (in some batch); rejects if that batch's
     * commit failed, or with a `precondition-failed` StorageError if a precondition
     * (its own or another caller's in the batch) no longer held.
     */
    append(
      inputs: AuditEventInput[],
      preconditions: readonly CommitPrecondition[] = [],
    ): Promise<ChainedAuditEvent[]> {
      if (inputs.length === 0) return Promise.resolve([]);
      return batcher.submit({ inputs, preconditions });
    },
  };
}

export type AuditGroupCommit = ReturnType<typeof createAuditGroupCommit>;
