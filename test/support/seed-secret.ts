import { randomUUID } from 'node:crypto';
import type { EnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import type { SecretStateSealer } from '../../services/core/integrity/secret-state-sealer.js';
import type { SecretRow } from '../../services/storage/entities/secret-entity.js';
import type { SecretStore } from '../../services/storage/secret-store.js';

/** The storage parts seeding goes through: what the services write with. */
export interface SeedDeps {
  secretStore: SecretStore;
  cipher: EnvelopeCipher;
  /**
   * Tags each seeded secret's state as the services do. Without it a secret stays
   * untagged, which the resolver refuses (DATA_LOSS): storage-level tests need none.
   */
  stateSealer?: Pick<SecretStateSealer, 'seal'>;
}

/** A secret row as seeding writes it: the fields given, every other one at its plain default. */
export function secretRow(fields: {
  workspaceId: string;
  name: string;
  scope?: SecretRow['scope'];
  ownerId?: string;
  currentVersion?: number;
  restricted?: boolean;
  /** Also its updatedAt; now when not given. */
  createdAt?: Date;
}): SecretRow {
  const createdAt = fields.createdAt ?? new Date();
  return {
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
    currentVersion: fields.currentVersion ?? 1,
    restricted: fields.restricted ?? false,
    createdAt,
    createdBy: 'seed',
    updatedAt: createdAt,
    updatedBy: 'seed',
    lastUsedAt: null,
    stateTag: '',
  };
}

/** Writes a secret with its first version (and members) straight through the secret store. */
export async function seedSecret(
  { secretStore, cipher, stateSealer }: SeedDeps,
  fields: {
    workspaceId: string;
    name: string;
    value: string;
    scope?: 'WORKSPACE' | 'PERSONAL';
    ownerId?: string;
    members?: string[];
  },
): Promise<SecretRow> {
  const now = new Date();
  const row = secretRow({
    workspaceId: fields.workspaceId,
    name: fields.name,
    scope: fields.scope,
    ownerId: fields.ownerId,
    restricted: (fields.members?.length ?? 0) > 0,
    createdAt: now,
  });
  const sealed = await cipher.seal(fields.value, {
    workspaceId: row.workspaceId,
    secretId: row.id,
    version: 1,
    scope: row.scope,
    ownerId: row.ownerId,
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
    for (const userId of fields.members ?? []) {
      await secretStore.upsertMember(tx, {
        secretId: row.id,
        userId,
        role: 'MEMBER',
        createdAt: now,
        createdBy: 'seed',
      });
    }
    await stateSealer?.seal(tx, row.id);
  });
  return row;
}

/** Rotation as the API does it: insert version n+1, then point current_version at it. */
export async function rotateSecret(
  { secretStore, cipher, stateSealer }: SeedDeps,
  secret: SecretRow,
  value: string,
): Promise<number> {
  return secretStore.transaction(async (tx) => {
    const locked = await secretStore.lockSecret(tx, secret.id);
    const version = Number(locked!.currentVersion) + 1;
    const sealed = await cipher.seal(value, {
      workspaceId: secret.workspaceId,
      secretId: secret.id,
      version,
      scope: secret.scope,
      ownerId: secret.ownerId,
    });
    const now = new Date();
    await secretStore.insertVersion(tx, {
      secretId: secret.id,
      version,
      ...sealed,
      createdAt: now,
      createdBy: 'seed',
    });
    await secretStore.updateSecret(tx, secret.id, {
      currentVersion: version,
      updatedAt: now,
      updatedBy: 'seed',
    });
    await stateSealer?.seal(tx, secret.id);
    return version;
  });
}
