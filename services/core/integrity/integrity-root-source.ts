import type { IntegrityStore } from '../../storage/integrity-store.js';
import { rewrapKey } from '../crypto/envelope-cipher.js';
import { INTEGRITY_ROOT_CONTEXT } from '../crypto/key-context.js';
import type { Keyring } from '../crypto/keyring.js';
import type { RewrapSource } from '../crypto/rewrap-data-keys.js';

/**
 * The sealed integrity root as `keys rewrap` moves it (SPEC §7, §8.1): wrapped by
 * whichever keyring holds it, re-wrapped by the active one under its fixed context,
 * swapped only if still wrapped by the key it was read with. After a provider move the
 * audit signing and state keys live with the new provider, as every data key does.
 */
export function integrityRootSource(
  integrityStore: Pick<IntegrityStore, 'listRootNotWrappedBy' | 'replaceWrappedRoot'>,
  keyring: Pick<Keyring, 'wrap' | 'unwrap'>,
): RewrapSource {
  return {
    name: 'the integrity root',
    listNotWrappedBy: async (keyId, after) =>
      after !== null ? [] : integrityStore.listRootNotWrappedBy(keyId),
    rewrap: (row) => rewrapKey(keyring, row, INTEGRITY_ROOT_CONTEXT),
    async replaceWrappedKeys(tx, expectedKeyId, keyId, rows) {
      let swapped = 0;
      for (const row of rows)
        swapped += await integrityStore.replaceWrappedRoot(tx, expectedKeyId, keyId, row.wrappedKey);
      return swapped;
    },
  };
}
