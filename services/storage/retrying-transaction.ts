import type { EntityManager } from 'typeorm';
import { StorageError, toStorageError } from './storage-errors.js';

/** How many times a transaction is tried before a transient abort is given to the caller. */
export const TRANSACTION_ATTEMPTS = 4;

/**
 * Runs `work` in a transaction, and runs it again, whole, when the database aborted it
 * only for a concurrent transaction (a deadlock victim, a stale SQLite snapshot): up to
 * TRANSACTION_ATTEMPTS times with a short random pause, so the two colliding writers do
 * not meet again in lock step. `work` must be safe to repeat: everything it wrote was
 * rolled back with the attempt. When the last try still collides, the caller gets a
 * `transient-abort` StorageError (retryable, never a bug).
 */
export async function retryingTransaction<T>(
  transaction: (work: (tx: EntityManager) => Promise<T>) => Promise<T>,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await transaction(work);
    } catch (thrown) {
      const error = toStorageError(thrown);
      if (!(error instanceof StorageError) || error.kind !== 'transient-abort') throw error;
      if (tried >= TRANSACTION_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * tried));
    }
  }
}
