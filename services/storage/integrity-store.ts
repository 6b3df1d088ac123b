import type { DataSource, EntityManager } from 'typeorm';
import { AuditCheckpointEntity } from './entities/audit-checkpoint-entity.js';
import { IntegrityRootEntity, type IntegrityRootRow } from './entities/integrity-root-entity.js';
import { withStorageErrors } from './storage-errors.js';

/** The id of the one integrity root row. */
const ROOT_ID = 1;

/** Storage of the sealed integrity root (SPEC §8.1). */
export function createIntegrityStore({ dataSource }: { dataSource: DataSource }) {
  return withStorageErrors({
    findRoot(): Promise<IntegrityRootRow | null> {
      return dataSource.manager.findOne(IntegrityRootEntity, { where: { id: ROOT_ID } });
    },

    /** Inserts the root; a concurrent first start that inserted one already makes this a unique violation. */
    async insertRoot(row: Omit<IntegrityRootRow, 'id'>): Promise<void> {
      await dataSource.manager.insert(IntegrityRootEntity, { ...row, id: ROOT_ID });
    },

    /** Whether any checkpoint was ever written: a root may be created only before the first. */
    async hasCheckpoints(): Promise<boolean> {
      return (await dataSource.manager.count(AuditCheckpointEntity)) > 0;
    },

    /** The root's wrapped key, as `keys rewrap` sees a row to move (id 1). */
    async listRootNotWrappedBy(
      keyId: string,
    ): Promise<Array<{ id: number; keyId: string; wrappedKey: Buffer }>> {
      const root = await dataSource.manager.findOne(IntegrityRootEntity, { where: { id: ROOT_ID } });
      return root && root.keyId !== keyId
        ? [{ id: root.id, keyId: root.keyId, wrappedKey: root.wrappedRoot }]
        : [];
    },

    /** Swaps the root's wrapped key if still wrapped by `expectedKeyId`; returns how many rows changed (0 or 1). */
    async replaceWrappedRoot(
      tx: EntityManager,
      expectedKeyId: string,
      keyId: string,
      wrappedRoot: Buffer,
    ): Promise<number> {
      const result = await tx
        .createQueryBuilder()
        .update(IntegrityRootEntity)
        .set({ keyId, wrappedRoot })
        .where('id = :id AND key_id = :expectedKeyId', { id: ROOT_ID, expectedKeyId })
        .execute();
      return result.affected ?? 0;
    },
  });
}

export type IntegrityStore = ReturnType<typeof createIntegrityStore>;
