import type { EntityManager } from 'typeorm';
import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { SecretStore } from '../../storage/secret-store.js';
import type { EnvelopeCipher } from '../crypto/envelope-cipher.js';
import type { SecretStateSealer } from '../integrity/secret-state-sealer.js';
import { maskedPreview } from './masked-preview.js';

// Secrets sealed and inserted per round of a bulk insert.
const BULK_SLICE = 500;

/**
 * The two ways a value enters storage — a new secret at version 1, and a rotation to
 * version n+1 — shared by single writes, system registrations and imports so every
 * path seals, versions and previews a value the same way, binds it to the secret's
 * scope and owner, and writes the secret's state tag in the same transaction.
 */
export function createSecretValueWriter({
  secretStore,
  cipher,
  stateSealer,
}: {
  secretStore: Pick<
    SecretStore,
    'insertSecret' | 'insertVersion' | 'updateSecret' | 'insertSecretsWithVersions'
  >;
  cipher: Pick<EnvelopeCipher, 'seal'>;
  stateSealer: Pick<SecretStateSealer, 'tagOfNew' | 'seal'>;
}) {
  const sealContextOf = (secret: SecretRow, version: number) => ({
    workspaceId: secret.workspaceId,
    secretId: secret.id,
    version,
    scope: secret.scope,
    ownerId: secret.ownerId,
  });

  async function sealVersion(
    tx: EntityManager,
    secret: SecretRow,
    version: number,
    value: string,
    actor: string,
    now: Date,
  ) {
    const sealed = await cipher.seal(value, sealContextOf(secret, version));
    await secretStore.insertVersion(tx, {
      secretId: secret.id,
      version,
      ...sealed,
      createdAt: now,
      createdBy: actor,
    });
  }

  return {
    /** Inserts a new secret row (built by `newSecretRow`, at version 1) and its sealed first value. */
    async insertNew(tx: EntityManager, row: SecretRow, value: string): Promise<void> {
      await secretStore.insertSecret(tx, { ...row, stateTag: await stateSealer.tagOfNew(row) });
      await sealVersion(tx, row, 1, value, row.createdBy, row.createdAt);
    },

    /**
     * `insertNew` for many secrets at once, in multi-row INSERTs (bulk import). Sealed and
     * written a slice at a time, so only one slice of sealed values is held at once.
     */
    async insertNewMany(tx: EntityManager, items: Array<{ row: SecretRow; value: string }>): Promise<void> {
      for (let i = 0; i < items.length; i += BULK_SLICE) {
        const slice = items.slice(i, i + BULK_SLICE);
        const versions = [];
        for (const { row, value } of slice) {
          const sealed = await cipher.seal(value, sealContextOf(row, 1));
          versions.push({
            secretId: row.id,
            version: 1,
            ...sealed,
            createdAt: row.createdAt,
            createdBy: row.createdBy,
          });
        }
        const tagged = [];
        for (const { row } of slice) tagged.push({ ...row, stateTag: await stateSealer.tagOfNew(row) });
        await secretStore.insertSecretsWithVersions(tx, tagged, versions);
      }
    },

    /**
     * Seals `value` as the next version of a secret the caller holds locked and points
     * the secret at it; `extra` carries other metadata changed in the same write.
     * Returns the secret as it now is.
     */
    async rotate(
      tx: EntityManager,
      locked: SecretRow,
      value: string,
      actor: string,
      now: Date,
      extra: Partial<Pick<SecretRow, 'description'>> = {},
    ): Promise<SecretRow> {
      const version = Number(locked.currentVersion) + 1;
      await sealVersion(tx, locked, version, value, actor, now);
      const patch = {
        currentVersion: version,
        maskedPreview: maskedPreview(value),
        ...extra,
        updatedAt: now,
        updatedBy: actor,
      };
      await secretStore.updateSecret(tx, locked.id, patch);
      await stateSealer.seal(tx, locked.id);
      return { ...locked, ...patch };
    },
  };
}

export type SecretValueWriter = ReturnType<typeof createSecretValueWriter>;
