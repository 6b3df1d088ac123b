import { createSlotBatcher } from '../batching/slot-batcher.js';
import type { CandidateQuery, CandidateSecret, ResolutionStore } from '../../storage/resolution-store.js';

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
  const batcher = createSlotBatcher<CandidateQuery, CandidateSecret[]>({
    slots: concurrency,
    weightOf: (query) => query.names.length,
    maxBatchWeight: maxNamesPerStatement,
    runBatch: (_slot, queries) => store.findCandidatesForEach(queries),
  });

  return {
    /** The same answer as `ResolutionStore.findCandidates`, from a statement sent after this call. */
    findCandidates(
      workspaceId: string,
      principal: string,
      names: readonly string[],
    ): Promise<CandidateSecret[]> {
      if (names.length === 0) return Promise.resolve([]);
      return batcher.submit({ workspaceId, principal, names });
    },
  };
}

export type CandidateLookupCoalescer = ReturnType<typeof createCandidateLookupCoalescer>;
