import type { CandidateQuery, CandidateSecret, ResolutionStore } from '../../storage/resolution-store.js';

interface Waiter {
  query: CandidateQuery;
  resolve(candidates: CandidateSecret[]): void;
  reject(error: unknown): void;
}

/**
 * Coalesces the candidate lookups of concurrent resolves, the way group commit
 * coalesces their audit writes. Up to `concurrency` statements run at once; a lookup
 * arriving while one of them is free goes at once (no added latency when idle), and
 * lookups arriving while all are busy wait and go together in the next statement. A
 * busy resolver then sends one SELECT for many calls instead of one per call.
 *
 * Nothing is cached: every lookup is answered by a statement sent after the lookup
 * arrived, so a rotation committed before a call reaches the resolver is what that
 * call sees. If the statement fails, every lookup in it fails (the calls fail closed).
 */
export function createCandidateLookupCoalescer({
  store,
  concurrency = 2,
  maxNamesPerStatement = 512,
}: {
  store: Pick<ResolutionStore, 'findCandidatesForEach'>;
  /** Statements in flight at once. */
  concurrency?: number;
  /** A statement stops taking lookups past this many names (a single larger lookup still goes alone). */
  maxNamesPerStatement?: number;
}) {
  const queue: Waiter[] = [];
  let running = 0;

  /** The waiters of the next statement, oldest first. */
  function takeBatch(): Waiter[] {
    let names = 0;
    let count = 0;
    while (
      count < queue.length &&
      (count === 0 || names + queue[count]!.query.names.length <= maxNamesPerStatement)
    ) {
      names += queue[count]!.query.names.length;
      count += 1;
    }
    return queue.splice(0, count);
  }

  async function runBatch(): Promise<void> {
    const batch = takeBatch();
    try {
      const answers = await store.findCandidatesForEach(batch.map((w) => w.query));
      batch.forEach((waiter, i) => waiter.resolve(answers[i]!));
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    } finally {
      if (queue.length > 0) void runBatch();
      else running -= 1;
    }
  }

  return {
    /** The same answer as `ResolutionStore.findCandidates`, from a statement sent after this call. */
    findCandidates(
      workspaceId: string,
      principal: string,
      names: readonly string[],
    ): Promise<CandidateSecret[]> {
      if (names.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ query: { workspaceId, principal, names }, resolve, reject });
        if (running < concurrency) {
          running += 1;
          void runBatch();
        }
      });
    },
  };
}

export type CandidateLookupCoalescer = ReturnType<typeof createCandidateLookupCoalescer>;
