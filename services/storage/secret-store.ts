import { In, type DataSource, type EntityManager } from 'typeorm';
import type { SecretScope } from '../protocol/vocabulary.js';
import { SecretEntity, type SecretRow } from './entities/secret-entity.js';
import { SecretMemberEntity, type SecretMemberRow } from './entities/secret-member-entity.js';
import { SecretVersionEntity, type SecretVersionRow } from './entities/secret-version-entity.js';
import { retryingTransaction } from './retrying-transaction.js';
import { withStorageErrors } from './storage-errors.js';

/** A version to insert: the lifecycle columns are optional (a written value, not yet destroyed). */
export type NewSecretVersion = Omit<
  SecretVersionRow,
  'id' | 'maskedPreview' | 'restoredFrom' | 'sealedAs' | 'destroyedAt'
> &
  Partial<Pick<SecretVersionRow, 'maskedPreview' | 'restoredFrom' | 'sealedAs'>>;

/** What the API lists of a version: never its sealed value. */
export type VersionSummary = Pick<
  SecretVersionRow,
  'version' | 'createdAt' | 'createdBy' | 'maskedPreview' | 'restoredFrom' | 'destroyedAt'
>;

/**
 * A new version with every lifecycle column given: TypeORM writes NULL, not the column's
 * SQL default, for a property left out on SQLite (and entities carry no defaults).
 */
const withLifecycleDefaults = (row: NewSecretVersion): Omit<SecretVersionRow, 'id'> => ({
  maskedPreview: null,
  restoredFrom: null,
  sealedAs: null,
  destroyedAt: null,
  ...row,
});

/** What a destroyed version's sealed columns hold: nothing. */
const DESTROYED = {
  ciphertext: Buffer.alloc(0),
  iv: Buffer.alloc(0),
  tag: Buffer.alloc(0),
  wrappedKey: Buffer.alloc(0),
  keyId: '',
};

// Rows per multi-row INSERT: one round trip for many rows, well under any statement limit.
const ROWS_PER_INSERT = 500;

/** Rows per compare-and-swap statement of `replaceWrappedKeys`. */
const ROWS_PER_KEY_SWAP = 100;

/** What a rewrap reads of a version: its wrapped data key and what that key's AAD binds. */
export type VersionToRewrap = Pick<
  SecretVersionRow,
  'id' | 'secretId' | 'version' | 'keyId' | 'wrappedKey' | 'binding'
> & {
  workspaceId: string;
  scope: string;
  ownerId: string;
};

/** A version still sealed to workspace, secret and version only (binding 1), with what binding 2 adds. */
export type VersionToReseal = SecretVersionRow & { workspaceId: string; scope: string; ownerId: string };

/**
 * Storage of secrets, their sealed versions and members. Every method takes an
 * optional transaction (`tx`); without one it runs on the data source's manager.
 */
export function createSecretStore({ dataSource }: { dataSource: DataSource }) {
  const m = (tx?: EntityManager): EntityManager => tx ?? dataSource.manager;

  /**
   * Runs `work` in one transaction. On SQLite it takes the write lock first: a
   * transaction that reads and only then writes cannot wait for another process's
   * writer (SQLite answers SQLITE_BUSY at once rather than risk a deadlock), while one
   * that asks for the lock before reading waits up to the busy timeout like any writer.
   */
  function transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    if (dataSource.options.type !== 'better-sqlite3') return dataSource.transaction(work);
    return dataSource.transaction(async (tx) => {
      // A write statement takes the lock even when it changes no row.
      await tx.query('UPDATE secrets SET id = id WHERE 0');
      return work(tx);
    });
  }

  return withStorageErrors({
    transaction,

    /** `transaction`, run again whole when the database aborted it for a concurrent one (see retryingTransaction). */
    retryingTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
      return retryingTransaction<T>(transaction, work);
    },

    async insertSecret(tx: EntityManager, row: SecretRow): Promise<void> {
      await tx.insert(SecretEntity, row);
    },

    async insertVersion(tx: EntityManager, row: NewSecretVersion): Promise<void> {
      await tx.insert(SecretVersionEntity, withLifecycleDefaults(row));
    },

    /** Many new secrets with their first versions, a few hundred rows per statement (bulk import). */
    async insertSecretsWithVersions(
      tx: EntityManager,
      secrets: SecretRow[],
      versions: NewSecretVersion[],
    ): Promise<void> {
      for (let i = 0; i < secrets.length; i += ROWS_PER_INSERT)
        await tx.insert(SecretEntity, secrets.slice(i, i + ROWS_PER_INSERT));
      for (let i = 0; i < versions.length; i += ROWS_PER_INSERT)
        await tx.insert(
          SecretVersionEntity,
          versions.slice(i, i + ROWS_PER_INSERT).map(withLifecycleDefaults),
        );
    },

    /** The secrets of one owner (workspace, scope, owner id) named in `names`: one query per 1,000 names. */
    async findSecretsByNames(
      key: { workspaceId: string; scope: SecretScope; ownerId: string },
      names: string[],
      tx?: EntityManager,
    ): Promise<SecretRow[]> {
      const found: SecretRow[] = [];
      for (let i = 0; i < names.length; i += 1_000) {
        const chunk = names.slice(i, i + 1_000);
        found.push(...(await m(tx).find(SecretEntity, { where: { ...key, name: In(chunk) } })));
      }
      return found;
    },

    /** Ids of secrets after `afterId` (id order), at most `limit`; only untagged ones when asked. */
    async listSecretIds(afterId: string, limit: number, { untagged = false } = {}): Promise<string[]> {
      const qb = dataSource.manager
        .createQueryBuilder(SecretEntity, 's')
        .select('s.id', 'id')
        .where('s.id > :afterId', { afterId });
      if (untagged) qb.andWhere("s.state_tag = ''");
      const rows = await qb.orderBy('s.id', 'ASC').limit(limit).getRawMany<{ id: string }>();
      return rows.map((r) => r.id);
    },

    /** How many personal secrets `ownerId` holds in a workspace (the per-user cap, SPEC §5.1). */
    countPersonalSecrets(workspaceId: string, ownerId: string, tx?: EntityManager): Promise<number> {
      return m(tx).count(SecretEntity, { where: { workspaceId, scope: 'PERSONAL', ownerId } });
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

    /** A page of a secret's versions, newest first, below `beforeVersion` when given; no sealed value is read. */
    async listVersionSummaries(
      secretId: string,
      { beforeVersion, limit }: { beforeVersion?: number; limit: number },
    ): Promise<VersionSummary[]> {
      const qb = dataSource.manager
        .createQueryBuilder(SecretVersionEntity, 'v')
        .select([
          'v.version',
          'v.createdAt',
          'v.createdBy',
          'v.maskedPreview',
          'v.restoredFrom',
          'v.destroyedAt',
        ])
        .where('v.secret_id = :secretId', { secretId });
      if (beforeVersion !== undefined) qb.andWhere('v.version < :beforeVersion', { beforeVersion });
      const rows = await qb.orderBy('v.version', 'DESC').limit(limit).getMany();
      return rows.map((r) => ({ ...r, version: Number(r.version) }));
    },

    countVersions(secretId: string): Promise<number> {
      return dataSource.manager.count(SecretVersionEntity, { where: { secretId } });
    },

    /**
     * Destroys the sealed value of each listed version for good: ciphertext, nonce, tag and
     * wrapped key are overwritten with nothing; the row stays as a tombstone. Returns how
     * many were destroyed now (a version already destroyed is left as it is).
     */
    async destroyVersions(
      tx: EntityManager,
      secretId: string,
      versions: number[],
      now: Date,
    ): Promise<number> {
      if (versions.length === 0) return 0;
      const result = await tx
        .createQueryBuilder()
        .update(SecretVersionEntity)
        .set({ ...DESTROYED, destroyedAt: now })
        .where('secret_id = :secretId AND version IN (:...versions) AND destroyed_at IS NULL', {
          secretId,
          versions,
        })
        .execute();
      return result.affected ?? 0;
    },

    /** The versions of a secret whose sealed value is still stored, newest first. */
    async liveVersionNumbers(tx: EntityManager, secretId: string): Promise<number[]> {
      const rows = await tx
        .createQueryBuilder(SecretVersionEntity, 'v')
        .select('v.version', 'version')
        .where('v.secret_id = :secretId AND v.destroyed_at IS NULL', { secretId })
        .orderBy('v.version', 'DESC')
        .getRawMany<{ version: number | string }>();
      return rows.map((r) => Number(r.version));
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
     * order after `afterId`, each with the workspace its AAD binds it to. Empty only
     * when no such version is left after `afterId`. Plain SQL, read as raw rows: a
     * rewrap pages through every version, and building entities for each one was most
     * of its memory churn.
     */
    async listVersionsNotWrappedBy(
      keyId: string,
      afterId: number,
      limit: number,
    ): Promise<VersionToRewrap[]> {
      // Only the wrapped key and what its AAD binds: a rewrap never touches the ciphertext.
      const rows = (await dataSource.query(
        `SELECT v.id AS id, v.secret_id AS secretId, COALESCE(v.sealed_as, v.version) AS version,
            v.key_id AS keyId, v.wrapped_key AS wrappedKey, v.binding AS binding,
            s.workspace_id AS workspaceId, s.scope AS scope, s.owner_id AS ownerId
          FROM secret_versions v INNER JOIN secrets s ON s.id = v.secret_id
          WHERE v.key_id <> ? AND v.destroyed_at IS NULL AND v.id > ?
          ORDER BY v.id LIMIT ?`,
        [keyId, afterId, limit],
      )) as Array<
        Omit<VersionToRewrap, 'id' | 'version' | 'binding'> & {
          id: number | string;
          version: number | string;
          binding: number | string;
        }
      >;
      return rows.map((r) => ({
        ...r,
        id: Number(r.id),
        version: Number(r.version),
        binding: Number(r.binding),
      }));
    },

    /** Versions sealed with binding 1, after `afterId` in id order, at most `limit`: what `keys rewrap` re-seals. */
    async listVersionsToReseal(afterId: number, limit: number): Promise<VersionToReseal[]> {
      const rows = (await dataSource.query(
        `SELECT v.id AS id, v.secret_id AS secretId, COALESCE(v.sealed_as, v.version) AS version,
            v.ciphertext AS ciphertext,
            v.iv AS iv, v.tag AS tag, v.wrapped_key AS wrappedKey, v.key_id AS keyId,
            v.created_at AS createdAt, v.created_by AS createdBy, v.binding AS binding,
            s.workspace_id AS workspaceId, s.scope AS scope, s.owner_id AS ownerId
          FROM secret_versions v INNER JOIN secrets s ON s.id = v.secret_id
          WHERE v.binding = 1 AND v.destroyed_at IS NULL AND v.id > ?
          ORDER BY v.id LIMIT ?`,
        [afterId, limit],
      )) as Array<VersionToReseal & { id: number | string; version: number | string }>;
      return rows.map((r) => ({ ...r, id: Number(r.id), version: Number(r.version), binding: 1 }));
    },

    /**
     * Replaces a binding-1 version's sealed value with its re-sealed form, only if the row
     * still holds what was read (same key id, still binding 1). Returns whether it did.
     */
    async replaceSealedValue(
      tx: EntityManager,
      row: Pick<SecretVersionRow, 'id' | 'keyId'>,
      sealed: Pick<SecretVersionRow, 'ciphertext' | 'iv' | 'tag' | 'wrappedKey' | 'keyId' | 'binding'>,
    ): Promise<boolean> {
      const result = await tx
        .createQueryBuilder()
        .update(SecretVersionEntity)
        .set(sealed)
        .where('id = :id AND key_id = :keyId AND binding = 1', { id: row.id, keyId: row.keyId })
        .execute();
      return (result.affected ?? 0) === 1;
    },

    /**
     * Swaps the wrapped data keys of `rows` (safe against races): each row listed takes
     * `keyId` and its new wrapped key only if it is still wrapped by `expectedKeyId`.
     * Returns how many rows were swapped.
     */
    async replaceWrappedKeys(
      tx: EntityManager,
      expectedKeyId: string,
      keyId: string,
      rows: Array<{ id: number; wrappedKey: Buffer }>,
    ): Promise<number> {
      let swapped = 0;
      // Plain SQL with positional parameters, a hundred rows per statement: TypeORM's
      // named-parameter rewriting of a 500-row CASE allocated kilobytes per row.
      for (let start = 0; start < rows.length; start += ROWS_PER_KEY_SWAP) {
        const chunk = rows.slice(start, start + ROWS_PER_KEY_SWAP);
        const placeholders = chunk.map(() => '?').join(', ');
        const sql = `UPDATE secret_versions
          SET key_id = ?, wrapped_key = CASE id ${chunk.map(() => 'WHEN ? THEN ?').join(' ')} END
          WHERE key_id = ? AND id IN (${placeholders})`;
        const parameters = [
          keyId,
          ...chunk.flatMap((row) => [row.id, row.wrappedKey]),
          expectedKeyId,
          ...chunk.map((row) => row.id),
        ];
        // The structured result carries the changed-row count on both drivers.
        const result = await tx.queryRunner!.query(sql, parameters, true);
        swapped += (result as { affected?: number }).affected ?? 0;
      }
      return swapped;
    },

    countVersionsByKey(): Promise<Array<{ keyId: string; count: number }>> {
      return dataSource.manager
        .createQueryBuilder(SecretVersionEntity, 'v')
        .select('v.keyId', 'keyId')
        .addSelect('COUNT(*)', 'count')
        .where('v.destroyed_at IS NULL')
        .groupBy('v.keyId')
        .getRawMany<{ keyId: string; count: string | number }>()
        .then((rows) => rows.map((r) => ({ keyId: r.keyId, count: Number(r.count) })));
    },
  });
}

export type SecretStore = ReturnType<typeof createSecretStore>;
