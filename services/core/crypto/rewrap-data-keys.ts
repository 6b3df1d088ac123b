import type { SecretStore } from '../../storage/secret-store.js';
import type { AuditLog } from '../audit/audit-log.js';
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
 * safe beside live rotations and deletions. With `auditLog` the run is recorded
 * (`keys.rewrap`) before any key is touched, as a retention prune is.
 */
export async function rewrapDataKeys({
  secretStore,
  cipher,
  keyring,
  batchSize = 500,
  onBatch = () => {},
  auditLog,
  actorId,
}: {
  secretStore: Pick<SecretStore, 'listVersionsNotWrappedBy' | 'replaceWrappedKeys' | 'transaction'>;
  cipher: Pick<EnvelopeCipher, 'rewrap'>;
  keyring: Pick<Keyring, 'activeKeyId'>;
  batchSize?: number;
  onBatch?: (progress: RewrapProgress) => void;
  auditLog?: Pick<AuditLog, 'appendCommitted'>;
  /** The operator who ran it, for the audit record. */
  actorId?: string;
}): Promise<RewrapProgress> {
  const activeKeyId = keyring.activeKeyId();
  await auditLog?.appendCommitted([
    {
      action: 'keys.rewrap',
      outcome: 'SUCCESS',
      actorType: 'operator',
      actorId,
      reason: `to active key ${activeKeyId}`,
    },
  ]);
  const progress: RewrapProgress = { rewrapped: 0, skipped: 0, failed: 0, batches: 0 };
  for (let afterId = 0; ;) {
    const page = await secretStore.listVersionsNotWrappedBy(activeKeyId, afterId, batchSize);
    if (page.length === 0) break;
    const lastRow = page.at(-1)!;
    afterId = lastRow.id;
    // Grouped by the key each row was read with and the key it now has: one
    // compare-and-swap statement per group (almost always a single group).
    const updates = new Map<
      string,
      { from: string; to: string; rows: Array<{ id: number; wrappedKey: Buffer }> }
    >();
    for (const row of page) {
      try {
        const next = await cipher.rewrap(row, {
          workspaceId: row.workspaceId,
          secretId: row.secretId,
          version: row.version,
        });
        const groupKey = `${row.keyId}\n${next.keyId}`;
        const group = updates.get(groupKey) ?? { from: row.keyId, to: next.keyId, rows: [] };
        group.rows.push({ id: row.id, wrappedKey: next.wrappedKey });
        updates.set(groupKey, group);
      } catch {
        // Unknown key id or a damaged row: leave it, count it, carry on with the rest.
        progress.failed += 1;
      }
    }
    await secretStore.transaction(async (tx) => {
      for (const { from, to, rows } of updates.values()) {
        const swapped = await secretStore.replaceWrappedKeys(tx, from, to, rows);
        progress.rewrapped += swapped;
        progress.skipped += rows.length - swapped;
      }
    });
    progress.batches += 1;
    onBatch({ ...progress });
  }
  return progress;
}
