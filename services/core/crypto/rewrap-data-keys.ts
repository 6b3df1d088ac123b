import type { EntityManager } from 'typeorm';
import type { SecretStore, VersionToRewrap } from '../../storage/secret-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { EnvelopeCipher } from './envelope-cipher.js';
import { isKeyringUnavailable } from './keyring-errors.js';
import type { Keyring, WrappedDataKey } from './keyring.js';

export interface RewrapProgress {
  /** Data keys of secret versions moved to the active key. */
  rewrapped: number;
  /** Other wrapped keys moved (the `moreSources`: the integrity root, webhook signing secrets). */
  others: number;
  /** `others` by the name of the source that held them. */
  othersBySource: Record<string, number>;
  skipped: number;
  failed: number;
  batches: number;
}

/** Where a source's rows are ordered: a numeric row id, or a text id such as a UUID. */
export type RewrapCursor = number | string;

/** One stored wrapped key a rewrap may move, by its row id in its source. */
export interface RewrapRow extends WrappedDataKey {
  id: RewrapCursor;
}

/**
 * Somewhere wrapped keys are stored. Secret versions are one; another store of
 * wrapped keys (the integrity root of SPEC §8.1, one row) is moved by the same run
 * when it is given as a source too.
 */
export interface RewrapSource<Row extends RewrapRow = RewrapRow> {
  /** What its keys are, for the report (`the integrity root`, `webhook signing secrets`). */
  name: string;
  /** Rows whose key id is not `keyId`, after `after` in id order (from the first when null), at most `limit`. */
  listNotWrappedBy(keyId: string, after: Row['id'] | null, limit: number): Promise<Row[]>;
  /** The row's key wrapped by the active key, under the context the row binds. */
  rewrap(row: Row): Promise<WrappedDataKey>;
  /** Swaps rows still wrapped by `expectedKeyId` (compare and swap); returns how many. */
  replaceWrappedKeys(
    tx: EntityManager,
    expectedKeyId: string,
    keyId: string,
    rows: Array<{ id: Row['id']; wrappedKey: Buffer }>,
  ): Promise<number>;
}

/** The data keys of secret versions, re-wrapped by the envelope cipher under each version's context. */
export function secretVersionSource(
  secretStore: Pick<SecretStore, 'listVersionsNotWrappedBy' | 'replaceWrappedKeys'>,
  cipher: Pick<EnvelopeCipher, 'rewrap'>,
): RewrapSource<VersionToRewrap> {
  return {
    name: 'secret versions',
    listNotWrappedBy: (keyId, after, limit) => secretStore.listVersionsNotWrappedBy(keyId, after ?? 0, limit),
    rewrap: (row) =>
      cipher.rewrap(row, {
        workspaceId: row.workspaceId,
        secretId: row.secretId,
        version: row.version,
        scope: row.scope,
        ownerId: row.ownerId,
      }),
    replaceWrappedKeys: (tx, expected, keyId, rows) =>
      secretStore.replaceWrappedKeys(tx, expected, keyId, rows),
  };
}

/**
 * Keys of one page re-wrapped at once: enough to keep an HSM's session pool or a KMS
 * busy (each wrap waits on a thread or a round trip), few enough that a page's keys
 * are not all in memory together.
 */
const CONCURRENT_REWRAPS = 16;

/** Runs `work` on every item, at most `limit` at a time, in no promised order. */
async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Re-wraps every data key not yet wrapped by the active master key, one committed
 * batch at a time. It needs no checkpoint: what is left is exactly the rows still
 * wrapped by another key, so a run killed halfway is finished by running it again.
 * Each row is swapped only if still wrapped by the key it was read with, so it is
 * safe beside live rotations and deletions. The old key may be another provider's
 * (a file key, another HSM key, a KMS key): the keyring unwraps with whichever owns it.
 * With `auditLog` the run is recorded (`keys.rewrap`) before any key is touched, as a
 * retention prune is.
 */
export async function rewrapDataKeys({
  secretStore,
  cipher,
  keyring,
  moreSources = [],
  batchSize = 500,
  onBatch = () => {},
  auditLog,
  actorId,
}: {
  secretStore: Pick<SecretStore, 'listVersionsNotWrappedBy' | 'replaceWrappedKeys' | 'retryingTransaction'>;
  cipher: Pick<EnvelopeCipher, 'rewrap'>;
  keyring: Pick<Keyring, 'activeKeyId'>;
  /** Other stores of wrapped keys, moved after the secret versions. */
  moreSources?: RewrapSource[];
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
  const progress: RewrapProgress = {
    rewrapped: 0,
    others: 0,
    othersBySource: {},
    skipped: 0,
    failed: 0,
    batches: 0,
  };
  const sources: RewrapSource[] = [secretVersionSource(secretStore, cipher), ...moreSources];
  for (const source of sources) {
    for (let after: RewrapCursor | null = null; ;) {
      const page = await source.listNotWrappedBy(activeKeyId, after, batchSize);
      if (page.length === 0) break;
      after = page.at(-1)!.id;
      // Grouped by the key each row was read with and the key it now has: one
      // compare-and-swap statement per group (almost always a single group).
      const updates = new Map<
        string,
        { from: string; to: string; rows: Array<{ id: RewrapCursor; wrappedKey: Buffer }> }
      >();
      await forEachConcurrently(page, CONCURRENT_REWRAPS, async (row) => {
        try {
          const next = await source.rewrap(row);
          const groupKey = `${row.keyId}\n${next.keyId}`;
          const group = updates.get(groupKey) ?? { from: row.keyId, to: next.keyId, rows: [] };
          group.rows.push({ id: row.id, wrappedKey: next.wrappedKey });
          updates.set(groupKey, group);
        } catch (error) {
          // A provider that does not answer would fail every row: stop, run again later.
          if (isKeyringUnavailable(error)) throw error;
          // Unknown key id or a damaged row: leave it, count it, carry on with the rest.
          progress.failed += 1;
        }
      });
      // Counted only once a try commits: a try rolled back for a concurrent one runs again whole.
      const counts = await secretStore.retryingTransaction(async (tx) => {
        const tally = { swapped: 0, skipped: 0 };
        for (const { from, to, rows } of updates.values()) {
          const swapped = await source.replaceWrappedKeys(tx, from, to, rows);
          tally.swapped += swapped;
          tally.skipped += rows.length - swapped;
        }
        return tally;
      });
      if (source === sources[0]) progress.rewrapped += counts.swapped;
      else {
        progress.others += counts.swapped;
        progress.othersBySource[source.name] = (progress.othersBySource[source.name] ?? 0) + counts.swapped;
      }
      progress.skipped += counts.skipped;
      progress.batches += 1;
      onBatch({ ...progress, othersBySource: { ...progress.othersBySource } });
    }
  }
  return progress;
}
