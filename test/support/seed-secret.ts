import { randomUUID } from 'node:crypto';
import type { EnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import type { SecretRow } from '../../services/storage/entities/secret-entity.js';
import type { SecretStore } from '../../services/storage/secret-store.js';

/** Writes a secret and its first version straight through the storage layer (no domain rules). */
export async function seedSecret(
  { secretStore, cipher }: { secretStore: SecretStore; cipher: EnvelopeCipher },
  fields: {
    workspaceId: string;
    name: string;
    value: string;
    scope?: 'WORKSPACE' | 'PERSONAL';
    ownerId?: string;
  },
): Promise<SecretRow> {
  const now = new Date();
  const row: SecretRow = {
    id: randomUUID(),
    workspaceId: fields.workspaceId,
    scope: fields.scope ?? 'WORKSPACE',
    ownerId: fields.ownerId ?? '',
    name: fields.name,
    displayName: '',
    description: '',
    systemManaged: false,
    integration: '',
    maskedPreview: '********',
    currentVersion: 1,
    restricted: false,
    createdAt: now,
    createdBy: 'seed',
    updatedAt: now,
    updatedBy: 'seed',
    lastUsedAt: null,
  };
  const sealed = await cipher.seal(fields.value, {
    workspaceId: row.workspaceId,
    secretId: row.id,
    version: 1,
  });
  await secretStore.transaction(async (tx) => {
    await secretStore.insertSecret(tx, row);
    await secretStore.insertVersion(tx, {
      secretId: row.id,
      version: 1,
      ...sealed,
      createdAt: now,
      createdBy: 'seed',
    });
  });
  return row;
}
