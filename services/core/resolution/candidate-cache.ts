import type { CandidateSecret, CandidateSnapshot } from '../../storage/resolution-store.js';
import type { CandidateLookupCoalescer } from './candidate-lookup-coalescer.js';

/** What a resolve reads its candidates from: a kept snapshot, or a lookup sent for it. */
export interface CandidateRead extends CandidateSnapshot {
  /**
   * True when the candidates were kept from an earlier lookup: they may be used only
   * if the workspace is still at `generation` when the resolve's audit records commit
   * (the audit log checks it in that transaction). False when a statement sent after
   * the call arrived answered it: current by construction, no check needed.
   */
  cached: boolean;
}

interface Entry {
  generation: number;
  loadedAt: number;
  /** Candidates per name; an empty list records that the name matched nothing. */
  byName: Map<string, CandidateSecret[]>;
}

/**
 * Keeps each (workspace, principal)'s sealed candidates — never a decrypted value — so
 * that a busy resolver skips the candidate SELECT. What is kept is trusted only on
 * proof: the workspace's generation (moved by triggers on every relevant write) must
 * be unchanged in the transaction that commits the resolve's audit records, one
 * primary-key read inside a statement the resolve sends anyway. So invalidation is
 * exact — a rotation committed on any replica is seen by the next call — and a wrong
 * guess costs one retry, never a stale value. Entries also expire after `ttlMs`, which
 * bounds how long the ciphertext of a deleted secret can stay in this process's
 * memory, and the total number of names kept is capped at `maxNames` (oldest entries
 * go first).
 */
export function createCandidateCache({
  lookup,
  ttlMs = 30_000,
  maxNames = 50_000,
  now = () => Date.now(),
}: {
  lookup: Pick<CandidateLookupCoalescer, 'findSnapshot'>;
  ttlMs?: number;
  maxNames?: number;
  now?: () => number;
}) {
  // Workspace → principal → entry. Map order is load order, so the oldest go first.
  const workspaces = new Map<string, Map<string, Entry>>();
  const loadOrder = new Map<Entry, { workspaceId: string; principal: string }>();
  let namesKept = 0;

  function drop(workspaceId: string, principal: string): void {
    const principals = workspaces.get(workspaceId);
    const entry = principals?.get(principal);
    if (!entry) return;
    namesKept -= entry.byName.size;
    loadOrder.delete(entry);
    principals!.delete(principal);
    if (principals!.size === 0) workspaces.delete(workspaceId);
  }

  function live(workspaceId: string, principal: string): Entry | undefined {
    const entry = workspaces.get(workspaceId)?.get(principal);
    if (entry && now() - entry.loadedAt >= ttlMs) {
      drop(workspaceId, principal);
      return undefined;
    }
    return entry;
  }

  /** Keeps what a lookup found, unless a newer generation is kept already. */
  function remember(
    workspaceId: string,
    principal: string,
    names: readonly string[],
    found: CandidateSnapshot,
  ): void {
    let entry = live(workspaceId, principal);
    // A slower statement sent earlier can answer after a newer one: keep the newer.
    if (entry && entry.generation > found.generation) return;
    if (entry && entry.generation < found.generation) {
      drop(workspaceId, principal);
      entry = undefined;
    }
    if (!entry) {
      entry = { generation: found.generation, loadedAt: now(), byName: new Map() };
      let principals = workspaces.get(workspaceId);
      if (!principals) workspaces.set(workspaceId, (principals = new Map()));
      principals.set(principal, entry);
      loadOrder.set(entry, { workspaceId, principal });
    }
    for (const name of names) {
      if (!entry.byName.has(name)) namesKept += 1;
      entry.byName.set(
        name,
        found.candidates.filter((c) => c.name === name),
      );
    }
    for (const [oldest, owner] of loadOrder) {
      if (namesKept <= maxNames) break;
      drop(owner.workspaceId, owner.principal);
      // The entry just filled may itself be over the cap; it is then not kept at all.
      if (oldest === entry) break;
    }
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
      const entry = fresh ? undefined : live(workspaceId, principal);
      if (entry && names.every((name) => entry.byName.has(name))) {
        return {
          generation: entry.generation,
          candidates: [...new Set(names)].flatMap((name) => entry.byName.get(name)!),
          cached: true,
        };
      }
      const found = await lookup.findSnapshot(workspaceId, principal, names);
      remember(workspaceId, principal, names, found);
      return { ...found, cached: false };
    },

    /** Forgets everything kept for `workspaceId` (its generation moved). */
    invalidate(workspaceId: string): void {
      for (const principal of [...(workspaces.get(workspaceId)?.keys() ?? [])]) drop(workspaceId, principal);
    },

    /** How many names are kept, for tests and metrics. */
    size(): number {
      return namesKept;
    },
  };
}

export type CandidateCache = ReturnType<typeof createCandidateCache>;
