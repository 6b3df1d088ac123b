import type { DataSource, EntityManager } from 'typeorm';
import { AuditCheckpointEntity, type AuditCheckpointRow } from './entities/audit-checkpoint-entity.js';
import { withStorageErrors } from './storage-errors.js';

/** Storage of signed audit checkpoints (SPEC §8.1); what they mean is core's (core/audit/checkpoint-*.ts). */
export function createAuditCheckpointStore({ dataSource }: { dataSource: DataSource }) {
  const m = (tx?: EntityManager): EntityManager => tx ?? dataSource.manager;
  const asRow = (row: AuditCheckpointRow): AuditCheckpointRow => ({
    ...row,
    seq: Number(row.seq),
    fullState: Number(row.fullState),
  });

  return withStorageErrors({
    async newest(tx?: EntityManager): Promise<AuditCheckpointRow | null> {
      const row = await m(tx).findOne(AuditCheckpointEntity, { where: {}, order: { seq: 'DESC' } });
      return row && asRow(row);
    },

    /** The sequence number of the newest full checkpoint, 0 when there is none. */
    async newestFullSeq(tx?: EntityManager): Promise<number> {
      const rows = (await m(tx).query(
        'SELECT MAX(seq) AS seq FROM audit_checkpoints WHERE full_state = 1',
      )) as Array<{ seq: number | string | null }>;
      return Number(rows[0]?.seq ?? 0);
    },

    /** Checkpoints with `seq` from `fromSeq` on, oldest first, at most `limit`. */
    async listFrom(fromSeq: number, limit: number, tx?: EntityManager): Promise<AuditCheckpointRow[]> {
      const rows = await m(tx)
        .createQueryBuilder(AuditCheckpointEntity, 'c')
        .where('c.seq >= :fromSeq', { fromSeq })
        .orderBy('c.seq', 'ASC')
        .limit(limit)
        .getMany();
      return rows.map(asRow);
    },

    /** Inserts a checkpoint; one another process took `seq` first makes this a unique violation. */
    async insert(row: AuditCheckpointRow): Promise<void> {
      await dataSource.manager.insert(AuditCheckpointEntity, row);
    },

    /** Deletes checkpoints before `seq` (retention keeps the newest full one before its cut-off and all after). */
    async deleteBefore(seq: number): Promise<number> {
      const result = await dataSource
        .createQueryBuilder()
        .delete()
        .from(AuditCheckpointEntity)
        .where('seq < :seq', { seq })
        .execute();
      return result.affected ?? 0;
    },

    /** The newest full checkpoint written before `before`, 0 when none. */
    async newestFullSeqBefore(before: Date): Promise<number> {
      const rows = (await dataSource.manager
        .createQueryBuilder(AuditCheckpointEntity, 'c')
        .select('MAX(c.seq)', 'seq')
        .where('c.fullState = 1 AND c.createdAt < :before', { before })
        .getRawMany()) as Array<{ seq: number | string | null }>;
      return Number(rows[0]?.seq ?? 0);
    },
  });
}

export type AuditCheckpointStore = ReturnType<typeof createAuditCheckpointStore>;
