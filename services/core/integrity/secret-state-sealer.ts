import type { EntityManager } from 'typeorm';
import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { SecretStore } from '../../storage/secret-store.js';
import type { SecretStateTags } from './secret-state.js';

/** A secret row's state, with its members and what its current version's value is sealed as. */
export const stateOfRow = (
  row: SecretRow,
  members: ReadonlyArray<{ userId: string; role: string }>,
  sealedAs: number | null = null,
) => ({
  id: row.id,
  workspaceId: row.workspaceId,
  scope: row.scope,
  ownerId: row.ownerId,
  name: row.name,
  currentVersion: Number(row.currentVersion),
  systemManaged: Boolean(row.systemManaged),
  integration: row.integration,
  restricted: Boolean(row.restricted),
  members,
  sealedAs,
  expiresAt: row.expiresAt ?? null,
});

/**
 * Writes each secret's state tag in the transaction that changes its state (SPEC
 * §8.1): every path that creates a secret, moves its current version or changes its
 * members goes through the secret value writer or the member service, which call this.
 */
export function createSecretStateSealer({
  secretStore,
  tags,
}: {
  secretStore: Pick<SecretStore, 'findSecretById' | 'listMembers' | 'updateSecret' | 'findVersion'>;
  tags: Pick<SecretStateTags, 'tagOf'>;
}) {
  return {
    /** The tag of a row about to be inserted (a new secret has no members). */
    tagOfNew(row: SecretRow): Promise<string> {
      return tags.tagOf(stateOfRow(row, []));
    },

    /** Reads `secretId` as `tx` sees it, members included, and writes its tag. */
    async seal(tx: EntityManager, secretId: string): Promise<void> {
      const row = await secretStore.findSecretById(secretId, tx);
      if (!row) return;
      const members = await secretStore.listMembers(secretId, tx);
      const current = await secretStore.findVersion(secretId, Number(row.currentVersion), tx);
      const sealedAs = current?.sealedAs == null ? null : Number(current.sealedAs);
      await secretStore.updateSecret(tx, secretId, {
        stateTag: await tags.tagOf(stateOfRow(row, members, sealedAs)),
      });
    },
  };
}

export type SecretStateSealer = ReturnType<typeof createSecretStateSealer>;
