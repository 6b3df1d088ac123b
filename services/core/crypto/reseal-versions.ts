import type { SecretStore } from '../../storage/secret-store.js';
import type { EnvelopeCipher } from './envelope-cipher.js';
import { isKeyringUnavailable } from './keyring-errors.js';

export interface ResealProgress {
  /** Values sealed again, now bound to scope and owner (binding 2). */
  resealed: number;
  /** Rows changed by someone else between read and write: left for the next run. */
  skipped: number;
  /** Values that did not open (their AAD no longer matches their row): left as they are, and counted. */
  failed: number;
}

/**
 * Upgrades every version sealed before values bound scope and owner (binding 1) to
 * binding 2 (SPEC §8.1), page by page in id order: each value is opened under its old
 * binding and sealed again under a fresh data key and the active master key, and the
 * row is replaced only if it still holds what was read. A keyring that stops answering
 * stops the run (what was committed stays); running it again finishes the rest.
 */
export async function resealLegacyVersions({
  secretStore,
  cipher,
  batchSize = 500,
  onBatch,
}: {
  secretStore: Pick<SecretStore, 'listVersionsToReseal' | 'replaceSealedValue' | 'retryingTransaction'>;
  cipher: Pick<EnvelopeCipher, 'reseal'>;
  batchSize?: number;
  onBatch?: (progress: ResealProgress) => void;
}): Promise<ResealProgress> {
  const progress: ResealProgress = { resealed: 0, skipped: 0, failed: 0 };
  for (let afterId = 0; ;) {
    const rows = await secretStore.listVersionsToReseal(afterId, batchSize);
    if (rows.length === 0) return progress;
    const updates: Array<{
      row: (typeof rows)[number];
      sealed: Awaited<ReturnType<EnvelopeCipher['reseal']>>;
    }> = [];
    for (const row of rows) {
      try {
        const sealed = await cipher.reseal(row, {
          workspaceId: row.workspaceId,
          secretId: row.secretId,
          version: Number(row.version),
          scope: row.scope,
          ownerId: row.ownerId,
        });
        updates.push({ row, sealed });
      } catch (error) {
        if (isKeyringUnavailable(error)) throw error;
        progress.failed += 1;
      }
    }
    // Counted only once a try commits: a try rolled back for a concurrent one runs again whole.
    const resealed = await secretStore.retryingTransaction(async (tx) => {
      let swapped = 0;
      for (const { row, sealed } of updates)
        if (await secretStore.replaceSealedValue(tx, row, sealed)) swapped += 1;
      return swapped;
    });
    progress.resealed += resealed;
    progress.skipped += updates.length - resealed;
    onBatch?.(progress);
    afterId = rows.at(-1)!.id;
  }
}
