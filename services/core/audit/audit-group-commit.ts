import type { AuditEventInput, ChainedAuditEvent } from './audit-event.js';

interface Waiter {
  inputs: AuditEventInput[];
  resolve(events: ChainedAuditEvent[]): void;
  reject(error: unknown): void;
}

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
  const queue: Waiter[] = [];
  // Lowest lane first, so a quiet process keeps to few chains.
  const freeLanes = Array.from({ length: lanes }, (_, i) => lanes - 1 - i);

  /** The waiters of the next batch, oldest first. */
  function takeBatch(): Waiter[] {
    let events = 0;
    let count = 0;
    while (count < queue.length && (count === 0 || events + queue[count]!.inputs.length <= maxBatchEvents)) {
      events += queue[count]!.inputs.length;
      count += 1;
    }
    return queue.splice(0, count);
  }

  async function writeBatch(lane: number): Promise<void> {
    const batch = takeBatch();
    try {
      const events = await commitBatch(
        lane,
        batch.length === 1 ? batch[0]!.inputs : batch.flatMap((w) => w.inputs),
      );
      let offset = 0;
      for (const waiter of batch) {
        waiter.resolve(events.slice(offset, offset + waiter.inputs.length));
        offset += waiter.inputs.length;
      }
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    } finally {
      if (queue.length > 0) void writeBatch(lane);
      else freeLanes.push(lane);
    }
  }

  return {
    /** Resolves once `inputs` are committed (in some batch); rejects if that batch's commit failed. */
    append(inputs: AuditEventInput[]): Promise<ChainedAuditEvent[]> {
      if (inputs.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ inputs, resolve, reject });
        const lane = freeLanes.pop();
        if (lane !== undefined) void writeBatch(lane);
      });
    },
  };
}

export type AuditGroupCommit = ReturnType<typeof createAuditGroupCommit>;
