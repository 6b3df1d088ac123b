import type { SecretStore } from '../../storage/secret-store.js';
import type { EnvelopeCipher } from './envelope-cipher.js';
import type { Keyring } from './keyring.js';

export interface RewrapProgress {
  rewrapped: number;
  skipped: number;
  failed: number;
  batches: number;
}

/**
 * Re-wraps every data key not yet wrapped by the active master key, one committed
 * batch at a time. It needs no checkpoint: what is left is exactly the rows still
 * wrapped by another key, so a run killed halfway is finished by running it again.
 * Each row is swapped only if still wrapped by the key it was read with, so it is
 * safe beside live rotations and deletions.
 */
export async function rewrapDataKeys({
  secretStore,
  cipher,
  keyring,
  batchSize = 500,
  onBatch = () => {},
}: {
  secretStore: Pick<SecretStore, 'listVersionsNotWrappedBy' | 'replaceWrappedKey' | 'transaction'>;
  cipher: Pick<EnvelopeCipher, 'rewrap'>;
  keyring: Pick<Keyring, 'activeKeyId'>;
  batchSize?: number;
  onBatch?: (progress: RewrapProgress) => void;
}): Promise<RewrapProgress> {
  const activeKeyId = keyring.activeKeyId();
  const progress: RewrapProgress = { rewrapped: 0, skipped: 0, failed: 0, batches: 0 };
  for (let afterId = 0; ;) {
    const page = await secretStore.listVersionsNotWrappedBy(activeKeyId, afterId, batchSize);
    if (page.length === 0) break;
    const lastRow = page.at(-1)!;
    afterId = lastRow.id;
    const updates: Array<{ id: number; expectedKeyId: string; next: { keyId: string; wrappedKey: Buffer } }> =
      [];
    for (const row of page) {
      try {
        const next = await cipher.rewrap(row, {
          workspaceId: row.workspaceId,
          secretId: row.secretId,
          version: row.version,
        });
        updates.push({ id: row.id, expectedKeyId: row.keyId, next });
      } catch {
        // Unknown key id or a damaged row: leave it, count it, carry on with the rest.
        progress.failed += 1;
      }
    }
    await secretStore.transaction(async (tx) => {
      for (const update of updates) {
        const swapped = await secretStore.replaceWrappedKey(tx, update.id, update.expectedKeyId, update.next);
        if (swapped) progress.rewrapped += 1;
        else progress.skipped += 1;
      }
    });
    progress.batches += 1;
    onBatch({ ...progress });
  }
  return progress;
}
