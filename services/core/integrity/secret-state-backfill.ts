import type { SecretStore } from '../../storage/secret-store.js';
import type { SecretStateSealer } from './secret-state-sealer.js';

/** The migration that added state tags: secrets are tagged once, in the run that applies it. */
export const STATE_TAG_MIGRATION = 'Integrity1765050000000';

/**
 * Tags every secret that has no state tag yet: what a database written before SPEC §8.1
 * needs once, by a process that holds the key (`strongroom migrate`, or development's
 * start). Run only in the migration run that added the column: later, an empty tag is
 * a tag someone removed, which the resolver refuses, and must not be laundered here.
 */
export async function tagUntaggedSecrets({
  secretStore,
  stateSealer,
  batchSize = 500,
}: {
  secretStore: Pick<SecretStore, 'listSecretIds' | 'retryingTransaction'>;
  stateSealer: Pick<SecretStateSealer, 'seal'>;
  batchSize?: number;
}): Promise<number> {
  let tagged = 0;
  for (let afterId = ''; ;) {
    const ids = await secretStore.listSecretIds(afterId, batchSize, { untagged: true });
    if (ids.length === 0) return tagged;
    await secretStore.retryingTransaction(async (tx) => {
      for (const id of ids) await stateSealer.seal(tx, id);
    });
    tagged += ids.length;
    afterId = ids.at(-1)!;
  }
}
