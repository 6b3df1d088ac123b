import { createSlotBatcher } from '../batching/slot-batcher.js';
import type { CandidateQuery, CandidateSnapshot, ResolutionStore } from '../../storage/resolution-store.js';

/**
 * Coalesces the candidate lookups of concurrent resolves, the way group commit
 * coalesces their audit writes. Up to `concurrency` statements run at once; the
 * lookups of one turn of the event loop go together as soon as that turn ends if one
 * of them is free (no added latency when idle), and lookups arriving while all are
 * busy wait and go together in the next statement. A
 * busy resolver then sends one SELECT for many calls instead of one per call.
 *
 * Nothing is kept here: every lookup is answered by a statement sent after the lookup
 * arrived, so a rotation committed before the lookup is what it sees. If the
 * statement fails, every lookup in it fails (the calls fail closed).
 */
export function createCandidateLookupCoalescer({
  store,
  concurrency = 2,
  maxNamesPerStatement = 512,
}: {
  store: Pick<ResolutionStore, 'findCandidateSnapshots'>;
  /** Statements in flight at once. */
  concurrency?: number;
  /** A statement stops taking lookups past this many names (a single larger lookup still goes alone). */
  maxNamesPerStatement?: number;
}) {
  const batcher = createSlotBatcher<CandidateQuery, CandidateSnapshot>({
    slots: concurrency,
    weightOf: (query) => query.names.length,
    maxBatchWeight: maxNamesPerStatement,
    runBatch: (_slot, queries) => store.findCandidateSnapshots(queries),
  });

  return {
    /** The same answer as `ResolutionStore.findCandidateSnapshots` gives one lookup, from a statement sent after this call. */
    findSnapshot(
      workspaceId: string,
      principal: string,
      names: readonly string[],
    ): Promise<CandidateSnapshot> {
      // Nothing asked, nothing to be current about: no statement.
      if (names.length === 0) return Promise.resolve({ generation: 0, candidates: [] });
      return batcher.submit({ workspaceId, principal, names });
    },
  };
}

export type CandidateLookupCoalescer = ReturnType<typeof createCandidateLookupCoalescer>;
