import { randomBytes } from 'node:crypto';
import { createEnvelopeCipher, type EnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { createLocalKeyring, type MasterKey } from '../../services/core/crypto/keyring.js';
import type { SecretState } from '../../services/core/integrity/secret-state.js';
import type { Pool } from 'mysql2/promise';
import { benchStateTagger } from './integrity.js';

/** Master keys of one bench run: the seeding process and the servers it starts share them. */
export interface BenchKeys {
  /** `STRONGROOM_MASTER_KEYS` for child processes (the last key is the active one). */
  env(): string;
  /** A cipher sealing with the active key, as the API would. */
  cipher(): EnvelopeCipher;
  /** Adds a key and makes it active (for the rewrap benchmark). */
  rotate(): MasterKey;
  /** State tags under the database's integrity root, created with these keys if it has none. */
  stateTagger(pool: Pool): Promise<(state: SecretState) => Promise<string>>;
}

export function createBenchKeys(): BenchKeys {
  const keys: MasterKey[] = [{ id: 'bench-k1', key: randomBytes(32) }];
  const keyring = createLocalKeyring(() => ({ keys, activeKeyId: keys.at(-1)!.id }));
  return {
    env: () => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
    cipher: () => createEnvelopeCipher({ keyring }),
    stateTagger: (pool) => benchStateTagger(pool, keyring),
    rotate() {
      const key = { id: `bench-k${keys.length + 1}`, key: randomBytes(32) };
      keys.push(key);
      return key;
    },
  };
}
