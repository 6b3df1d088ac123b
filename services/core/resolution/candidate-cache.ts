import type { CommitPrecondition } from '../../storage/commit-precondition.js';
import type { CandidateSecret } from '../../storage/resolution-store.js';
import { workspaceGenerationHolds } from '../../storage/workspace-generation-precondition.js';
import type { CandidateLookupCoalescer } from './candidate-lookup-coalescer.js';

/** A candidate with the verdict on its state tag, given once when it is read (SPEC §8.1). */
export interface CheckedCandidate extends CandidateSecret {
  /** False when the candidate's state does not match its tag: it is refused, never opened. */
  stateValid: boolean;
}

/** What a resolve reads its candidates from: a kept snapshot, or a lookup sent for it. */
export interface CandidateRead {
  generation: number;
  candidates: CheckedCandidate[];
  /**
   * True when the candidates were kept from an earlier lookup: they may be used only
   * under `precondition`. False when a statement sent after the call arrived answered
   * it: current by construction, no check needed.
   */
  cached: boolean;
  /**
   * For kept candidates: that the workspace is still at `generation`. The resolve's
   * audit records are committed only on this condition (the audit log checks it in
   * that transaction); when it fails nothing is written, and the caller `invalidate`s
   * the workspace and reads again with `fresh`.
   */
  precondition?: CommitPrecondition;
}

interface Entry {
  workspaceId: string;
  generation: number;
  loadedAt: number;
  /** Candidates per name; an empty list records that the name matched nothing. */
  byName: Map<string, CheckedCandidate[]>;
  /** What `byName` holds, by `keptBytes`. */
  bytes: number;
}

/**
 * About what keeping a name costs: its sealed bytes (a value may be up to 64 KiB, so a
 * count of names alone would not bound memory) and a fixed allowance for the strings
 * and objects around them.
 */
function keptBytes(name: string, candidates: CandidateSecret[]): number {
  let bytes = 64 + name.length;
  for (const { sealed } of candidates) {
    bytes += 256 + sealed.ciphertext.length + sealed.wrappedKey.length + sealed.iv.length + sealed.tag.length;
  }
  return bytes;
}

/**
 * Keeps each (workspace, principal)'s sealed candidates — never a decrypted value — so
 * that a busy resolver skips the candidate SELECT. What is kept is trusted only on
 * proof: the workspace's generation (moved by triggers on every relevant write) must
 * be unchanged in the transaction that commits the resolve's audit records, one
 * primary-key read inside a statement the resolve sends anyway. So invalidation is
 * exact — a rotation committed on any replica is seen by the next call — and a wrong
 * guess costs one retry, never a stale value. Entries also expire after `ttlMs`: every
 * call drops those past it, and so does `sweep` (which the resolver runs on a timer, so
 * an idle resolver forgets too). That bounds how long the ciphertext of a deleted secret,
 * and the data key kept with it, stay in this process's memory. What is kept is capped
 * at about `maxBytes` (oldest entries go first).
 */
export function createCandidateCache({
  lookup,
  stateChecker = async () => () => true,
  ttlMs = 30_000,
  maxBytes = 64 * 1024 * 1024,
  now = () => Date.now(),
}: {
  lookup: Pick<CandidateLookupCoalescer, 'findSnapshot'>;
  /**
   * Gives the check of a candidate's state against its tag (SPEC §8.1). It runs once
   * per candidate read from the database, when the lookup answers, so a resolve served
   * from kept candidates pays nothing for it.
   */
  stateChecker?: () => Promise<(candidate: CandidateSecret) => boolean>;
  ttlMs?: number;
  maxBytes?: number;
  now?: () => number;
}) {
  // One entry per (workspace, principal). Map order is load order, so the oldest go first.
  const entries = new Map<string, Entry>();
  let bytesKept = 0;
  const keyOf = (workspaceId: string, principal: string) => JSON.stringify([workspaceId, principal]);

  function drop(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    bytesKept -= entry.bytes;
    entries.delete(key);
  }

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && now() - entry.loadedAt >= ttlMs) {
      drop(key);
      return undefined;
    }
    return entry;
  }

  /** Keeps what a lookup found, unless a newer generation is kept already. */
  function remember(workspaceId: string, key: string, names: readonly string[], found: CandidateRead): void {
    let entry = live(key);
    // A slower statement sent earlier can answer after a newer one: keep the newer.
    if (entry && entry.generation > found.generation) return;
    if (entry && entry.generation < found.generation) {
      drop(key);
      entry = undefined;
    }
    if (!entry) {
      entry = { workspaceId, generation: found.generation, loadedAt: now(), byName: new Map(), bytes: 0 };
      entries.set(key, entry);
    }
    for (const name of names) {
      if (entry.byName.has(name)) continue;
      const candidates = found.candidates.filter((c) => c.name === name);
      const bytes = keptBytes(name, candidates);
      entry.byName.set(name, candidates);
      entry.bytes += bytes;
      bytesKept += bytes;
    }
    for (const [oldestKey, oldest] of entries) {
      if (bytesKept <= maxBytes) break;
      drop(oldestKey);
      // The entry just filled may itself be over the cap; it is then not kept at all.
      if (oldest === entry) break;
    }
  }

  /** Drops the entries past their time. Map order is load order, so they are at the front. */
  function sweep(): void {
    const at = now();
    for (const [key, entry] of entries) {
      if (at - entry.loadedAt < ttlMs) break;
      drop(key);
    }
  }

  /** Every name's kept candidates (each name once), or undefined if any name is not kept. */
  function keptCandidates(entry: Entry, names: readonly string[]): CheckedCandidate[] | undefined {
    const candidates: CheckedCandidate[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      const kept = entry.byName.get(name);
      if (!kept) return undefined;
      if (seen.has(name)) continue;
      seen.add(name);
      for (const candidate of kept) candidates.push(candidate);
    }
    return candidates;
  }

  return {
    /**
     * The candidates for `names`: kept ones when every name is kept at one generation
     * (and `fresh` is not asked), otherwise from a lookup sent now, which is then kept.
     */
    async find(
      workspaceId: string,
      principal: string,
      names: readonly string[],
      { fresh = false }: { fresh?: boolean } = {},
    ): Promise<CandidateRead> {
      sweep();
      const key = keyOf(workspaceId, principal);
      const entry = fresh ? undefined : live(key);
      if (entry) {
        const kept = keptCandidates(entry, names);
        if (kept) {
          return {
            generation: entry.generation,
            candidates: kept,
            cached: true,
            precondition: workspaceGenerationHolds(workspaceId, entry.generation),
          };
        }
      }
      const [snapshot, verifyState] = await Promise.all([
        lookup.findSnapshot(workspaceId, principal, names),
        stateChecker(),
      ]);
      const found: CandidateRead = {
        generation: snapshot.generation,
        candidates: snapshot.candidates.map((candidate) =>
          Object.assign(candidate, { stateValid: verifyState(candidate) }),
        ),
        cached: false,
      };
      remember(workspaceId, key, names, found);
      return found;
    },

    /** Forgets everything kept for `workspaceId` (its generation moved). */
    invalidate(workspaceId: string): void {
      // Rare (a cached read refused at commit), so a pass over all entries is fine.
      for (const [key, entry] of entries) if (entry.workspaceId === workspaceId) drop(key);
    },

    sweep,

    /** About how many bytes are kept, for tests and metrics. */
    bytes(): number {
      return bytesKept;
    },
  };
}

export type CandidateCache = ReturnType<typeof createCandidateCache>;
