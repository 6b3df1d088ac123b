import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import { INTEGRITY_ROOT_CONTEXT } from '../../services/core/crypto/key-context.js';
import type { Keyring } from '../../services/core/crypto/keyring.js';
import { deriveIntegrityKeys } from '../../services/core/integrity/integrity-keys.js';
import { createSecretStateTags, type SecretState } from '../../services/core/integrity/secret-state.js';

/**
 * The state tags a bench seed needs (SPEC §8.1) under the bench database's integrity
 * root, created here with `keyring` when the database has none yet — as a Strongroom
 * process would on first use — so the servers the bench starts with the same master keys
 * verify what was seeded.
 */
export async function benchStateTagger(
  pool: Pool,
  keyring: Pick<Keyring, 'wrap' | 'unwrap'>,
): Promise<(state: SecretState) => Promise<string>> {
  const [rows] = (await pool.query(
    'SELECT key_id, wrapped_root FROM integrity_roots WHERE id = 1',
  )) as unknown as [Array<{ key_id: string; wrapped_root: Buffer }>];
  let root: Buffer;
  if (rows[0]) {
    root = await keyring.unwrap(
      { keyId: rows[0].key_id, wrappedKey: rows[0].wrapped_root },
      INTEGRITY_ROOT_CONTEXT,
    );
  } else {
    root = randomBytes(32);
    const { keyId, wrappedKey } = await keyring.wrap(root, INTEGRITY_ROOT_CONTEXT);
    await pool.query(
      'INSERT INTO integrity_roots (id, key_id, wrapped_root, public_key, created_at) VALUES (1, ?, ?, ?, ?)',
      [keyId, wrappedKey, deriveIntegrityKeys(root).publicKeyText, new Date()],
    );
  }
  const { stateKey } = deriveIntegrityKeys(root);
  root.fill(0);
  const tags = createSecretStateTags(async () => stateKey);
  return (state) => tags.tagOf(state);
}
