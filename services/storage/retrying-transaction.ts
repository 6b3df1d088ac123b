import type { EntityManager } from 'typeorm';
import { StorageError, toStorageError } from './storage-errors.js';

/** How many times a transaction is tried before a transient abort is given to the caller. */
export const TRANSACTION_ATTEMPTS = 10;

/**
 * The pause before try `tried + 1`: random (so two colliding writers do not meet again
 * in lock step), and doubling from about 10 ms to at most 320 ms. On one server a
 * deadlock victim's rival is done within a millisecond or two; on a Galera cluster the
 * rival may be a write set still being applied on this node, and a transaction that
 * lost certification to it has to wait for that before trying again (the wait grows
 * with the cluster's apply lag, which is what doubling follows). Ten tries wait at
 * most about 1.6 s in all. In the cluster tests (test/cluster), eight writers on two
 * nodes rotating one secret without pause needed up to seven tries.
 */
export function transientBackoffMs(tried: number): number {
  const ceiling = Math.min(320, 10 * 2 ** (tried - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * Runs `attempt`, and runs it again when it failed with a `transient-abort`: the
 * database rolled the whole attempt back only because a concurrent transaction was in
 * its way — an InnoDB deadlock victim, SQLite's stale snapshot, or on Galera a
 * transaction that lost certification at COMMIT (`ER_LOCK_DEADLOCK`, 1213, which can
 * arrive at COMMIT itself, or as a brute-force abort by a replicated write). At most
 * `attempts` tries with `transientBackoffMs` between them; then the last error, a
 * `transient-abort` StorageError, goes to the caller (retryable, never a bug).
 * `attempt` must be safe to repeat: everything it wrote was rolled back with it, and
 * whatever it keeps outside the database must be set only once it has succeeded.
 */
export async function retryOnTransientAbort<T>(
  attempt: () => Promise<T>,
  { attempts = TRANSACTION_ATTEMPTS, onRetry }: { attempts?: number; onRetry?: (tried: number) => void } = {},
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (thrown) {
      const error = toStorageError(thrown);
      if (!(error instanceof StorageError) || error.kind !== 'transient-abort') throw error;
      if (tried >= attempts) throw error;
      onRetry?.(tried);
      await new Promise((resolve) => setTimeout(resolve, transientBackoffMs(tried)));
    }
  }
}

/**
 * Runs `work` in a transaction, and runs it again, whole, when the database aborted it
 * only for a concurrent transaction (see retryOnTransientAbort). `work` must be safe to
 * repeat: everything it wrote was rolled back with the attempt.
 */
export function retryingTransaction<T>(
  transaction: (work: (tx: EntityManager) => Promise<T>) => Promise<T>,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  return retryOnTransientAbort(() => transaction(work));
}
