import type { EntityManager } from 'typeorm';
import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { SecretStore } from '../../storage/secret-store.js';
import type { EnvelopeCipher } from '../crypto/envelope-cipher.js';
import type { SecretStateSealer } from '../integrity/secret-state-sealer.js';
import { maskedPreview, PREVIEW_MASK } from './masked-preview.js';
import { rotationDueAt } from './secret-lifecycle.js';

/** Versions that keep their sealed value unless configured (SPEC §5.1, STRONGROOM_VERSIONS_KEPT). */
export const DEFAULT_VERSIONS_KEPT = 10;

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
  versionsKept = DEFAULT_VERSIONS_KEPT,
}: {
  secretStore: Pick<
    SecretStore,
    | 'insertSecret'
    | 'insertVersion'
    | 'updateSecret'
    | 'insertSecretsWithVersions'
    | 'findVersion'
    | 'liveVersionNumbers'
    | 'destroyVersions'
  >;
  cipher: Pick<EnvelopeCipher, 'seal'>;
  stateSealer: Pick<SecretStateSealer, 'tagOfNew' | 'seal'>;
  /** How many versions keep their sealed value (STRONGROOM_VERSIONS_KEPT); older ones are destroyed. */
  versionsKept?: number;
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
      maskedPreview: maskedPreview(value),
      createdAt: now,
      createdBy: actor,
    });
  }

  /**
   * Retention (SPEC §5.1): destroys the sealed value of every version but the newest
   * `versionsKept` that still have one. The current version is the newest, so it is
   * always kept. Returns the versions destroyed.
   */
  async function applyRetention(tx: EntityManager, secretId: string, now: Date): Promise<number[]> {
    const live = await secretStore.liveVersionNumbers(tx, secretId);
    const beyond = live.slice(versionsKept);
    await secretStore.destroyVersions(tx, secretId, beyond, now);
    return beyond;
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
            maskedPreview: row.maskedPreview,
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
        // The reminder counts from the last rotation.
        rotationDueAt: rotationDueAt(now, locked.rotationIntervalDays),
        updatedAt: now,
        updatedBy: actor,
      };
      await secretStore.updateSecret(tx, locked.id, patch);
      await applyRetention(tx, locked.id, now);
      await stateSealer.seal(tx, locked.id);
      return { ...locked, ...patch };
    },

    /**
     * Makes a new version of a secret the caller holds locked whose value is that of
     * `version` (SPEC §5.1), without opening it: the sealed value is copied as it is,
     * with `sealed_as` naming the version its AAD binds, and the state tag (which covers
     * `sealed_as`) is written in the same transaction. The scope and owner a binding-2
     * value binds are the secret's own, which no change moves. Returns the secret as it
     * now is, or null when `version` has no sealed value (never existed, or destroyed).
     */
    async restore(
      tx: EntityManager,
      locked: SecretRow,
      version: number,
      actor: string,
      now: Date,
    ): Promise<SecretRow | null> {
      const source = await secretStore.findVersion(locked.id, version, tx);
      if (!source || source.destroyedAt) return null;
      const next = Number(locked.currentVersion) + 1;
      await secretStore.insertVersion(tx, {
        secretId: locked.id,
        version: next,
        ciphertext: source.ciphertext,
        iv: source.iv,
        tag: source.tag,
        wrappedKey: source.wrappedKey,
        keyId: source.keyId,
        binding: Number(source.binding),
        maskedPreview: source.maskedPreview ?? null,
        restoredFrom: version,
        sealedAs: source.sealedAs == null ? version : Number(source.sealedAs),
        createdAt: now,
        createdBy: actor,
      });
      const patch = {
        currentVersion: next,
        // A version older than its preview column shows the mask alone.
        maskedPreview: source.maskedPreview ?? PREVIEW_MASK,
        rotationDueAt: rotationDueAt(now, locked.rotationIntervalDays),
        updatedAt: now,
        updatedBy: actor,
      };
      await secretStore.updateSecret(tx, locked.id, patch);
      await applyRetention(tx, locked.id, now);
      await stateSealer.seal(tx, locked.id);
      return { ...locked, ...patch };
    },
  };
}

export type SecretValueWriter = ReturnType<typeof createSecretValueWriter>;
