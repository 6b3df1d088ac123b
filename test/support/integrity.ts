import type { DataSource } from 'typeorm';
import {
  createIntegrityKeySource,
  type IntegrityKeySource,
} from '../../services/core/integrity/integrity-keys.js';
import {
  createSecretStateSealer,
  type SecretStateSealer,
} from '../../services/core/integrity/secret-state-sealer.js';
import { createSecretStateTags, type SecretStateTags } from '../../services/core/integrity/secret-state.js';
import type { Keyring } from '../../services/core/crypto/keyring.js';
import { createIntegrityStore } from '../../services/storage/integrity-store.js';
import { createSecretStore } from '../../services/storage/secret-store.js';

/** The integrity keys of a test database under `keyring`, as the runtime opens them, and their tagging. */
export async function openTestIntegrity(
  dataSource: DataSource,
  keyring: Pick<Keyring, 'wrap' | 'unwrap'>,
): Promise<{ integrity: IntegrityKeySource; stateTags: SecretStateTags; stateSealer: SecretStateSealer }> {
  const integrity = createIntegrityKeySource({
    keyring,
    integrityStore: createIntegrityStore({ dataSource }),
  });
  // Opened now, as a process's first use would: the test database gets its root.
  await integrity.keys();
  const stateTags = createSecretStateTags(async () => (await integrity.keys()).stateKey);
  return {
    integrity,
    stateTags,
    stateSealer: createSecretStateSealer({ secretStore: createSecretStore({ dataSource }), tags: stateTags }),
  };
}
