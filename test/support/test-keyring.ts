import { randomBytes } from 'node:crypto';
import { createLocalKeyring, type Keyring, type MasterKey } from '../../services/core/crypto/keyring.js';

/** An in-memory keyring for tests, with a `rotate` that adds a new active key. */
export function createTestKeyring(): Keyring & { rotate(): MasterKey; keys: MasterKey[] } {
  const keys: MasterKey[] = [{ id: 'test-k1', key: randomBytes(32) }];
  let activeKeyId = 'test-k1';
  const keyring = createLocalKeyring(() => ({ keys, activeKeyId }));
  return {
    ...keyring,
    keys,
    rotate() {
      const key = { id: `test-k${keys.length + 1}`, key: randomBytes(32) };
      keys.push(key);
      activeKeyId = key.id;
      return key;
    },
  };
}
