import { In, MoreThan, Not, type DataSource, type EntityManager } from 'typeorm';
import { SecretEntity, type SecretRow, type SecretScope } from './entities/secret-entity.js';
import { SecretMemberEntity, type SecretMemberRow } from './entities/secret-member-entity.js';
import { SecretVersionEntity, type SecretVersionRow } from './entities/secret-version-entity.js';

export type NewSecretVersion = Omit<SecretVersionRow, 'id'>;

/**
 * Storage of secrets, their sealed versions and members. Every method takes an
 * optional transaction (`tx`); without one it runs on the data source's manager.
 */
export function createSecretStore({ dataSource }: { dataSource: DataSource }) {
  const m = (tx?: EntityManager): EntityManager => tx ?? dataSource.manager;
  return {
    transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
      return dataSource.transaction(work);
    },

    async insertSecret(tx: EntityManager, row: SecretRow): Promise<void> {
      await tx.insert(SecretEntity, row);
    },

    async insertVersion(tx: EntityManager, row: NewSecretVersion): Promise<void> {
      await tx.insert(SecretVersionEntity, row);
    },

    findSecretById(id: string, tx?: EntityManager): Promise<SecretRow | null> {
      return m(tx).findOne(SecretEntity, { where: { id } });
    },

    findSecretByKey(
      key: { workspaceId: string; scope: SecretScope; ownerId: string; name: string },
      tx?: EntityManager,
    ): Promise<SecretRow | null> {
      return m(tx).findOne(SecretEntity, { where: key });
    },

    /** Takes a write lock on the secret row for the rest of the transaction (serialises rotations). */
    async lockSecret(tx: EntityManager, id: string): Promise<SecretRow | null> {
      if (tx.connection.options.type === 'better-sqlite3') {
        // SQLite has one writer at a time; the write below takes it before we read.
        await tx.query('UPDATE secrets SET id = id WHERE id = ?', [id]);
        return tx.findOne(SecretEntity, { where: { id } });
      }
      return tx
        .createQueryBuilder(SecretEntity, 's')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id })
        .getOne();
    },

    async updateSecret(tx: EntityManager, id: string, patch: Partial<Omit<SecretRow, 'id'>>): Promise<void> {
      await tx.update(SecretEntity, { id }, patch);
    },

    findVersion(secretId: string, version: number, tx?: EntityManager): Promise<SecretVersionRow | null> {
      return m(tx).findOne(SecretVersionEntity, { where: { secretId, version } });
    },

    listVersions(secretId: string, tx?: EntityManager): Promise<SecretVersionRow[]> {
      return m(tx).find(SecretVersionEntity, { where: { secretId }, order: { version: 'ASC' } });
    },

    /** Removes the secret with every sealed version and member row: its ciphertexts are gone for good. */
    async deleteSecret(tx: EntityManager, id: string): Promise<void> {
      await tx.delete(SecretVersionEntity, { secretId: id });
      await tx.delete(SecretMemberEntity, { secretId: id });
      await tx.delete(SecretEntity, { id });
    },

    listMembers(secretId: string, tx?: EntityManager): Promise<SecretMemberRow[]> {
      return m(tx).find(SecretMemberEntity, { where: { secretId }, order: { userId: 'ASC' } });
    },

    async upsertMember(tx: EntityManager, row: SecretMemberRow): Promise<void> {
      await tx.delete(SecretMemberEntity, { secretId: row.secretId, userId: row.userId });
      await tx.insert(SecretMemberEntity, row);
    },

    async removeMember(tx: EntityManager, secretId: string, userId: string): Promise<boolean> {
      const result = await tx.delete(SecretMemberEntity, { secretId, userId });
      return (result.affected ?? 0) > 0;
    },

    async countMembers(tx: EntityManager, secretId: string): Promise<number> {
      return tx.count(SecretMemberEntity, { where: { secretId } });
    },

    /**
     * A page of versions whose data key is wrapped by another key than `keyId`, in id
     * order after `afterId`, each with the workspace its AAD binds it to.
     */
    async listVersionsNotWrappedBy(
      keyId: string,
      afterId: number,
      limit: number,
    ): Promise<Array<SecretVersionRow & { workspaceId: string }>> {
      const versions = await dataSource.manager.find(SecretVersionEntity, {
        where: { keyId: Not(keyId), id: MoreThan(afterId) },
        order: { id: 'ASC' },
        take: limit,
      });
      if (versions.length === 0) return [];
      const secrets = await dataSource.manager.find(SecretEntity, {
        select: { id: true, workspaceId: true },
        where: { id: In([...new Set(versions.map((v) => v.secretId))]) },
      });
      const workspaceOf = new Map(secrets.map((s) => [s.id, s.workspaceId]));
      return versions.flatMap((v) => {
        const workspaceId = workspaceOf.get(v.secretId);
        // A version whose secret was deleted meanwhile has nothing left to rewrap.
        return workspaceId === undefined ? [] : [{ ...v, workspaceId }];
      });
    },

    /** Swaps a version's wrapped data key, only if it is still wrapped by `expectedKeyId` (safe against races). */
    async replaceWrappedKey(
      tx: EntityManager,
      id: number,
      expectedKeyId: string,
      next: { keyId: string; wrappedKey: Buffer },
    ): Promise<boolean> {
      const result = await tx.update(SecretVersionEntity, { id, keyId: expectedKeyId }, next);
      return (result.affected ?? 0) > 0;
    },

    countVersionsByKey(): Promise<Array<{ keyId: string; count: number }>> {
      return dataSource.manager
        .createQueryBuilder(SecretVersionEntity, 'v')
        .select('v.keyId', 'keyId')
        .addSelect('COUNT(*)', 'count')
        .groupBy('v.keyId')
        .getRawMany<{ keyId: string; count: string | number }>()
        .then((rows) => rows.map((r) => ({ keyId: r.keyId, count: Number(r.count) })));
    },
  };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
