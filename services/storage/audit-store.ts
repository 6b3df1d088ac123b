import type { DataSource, EntityManager } from 'typeorm';
import type { ChainedAuditEvent } from '../core/audit/audit-event.js';
import { AuditChainEntity, type AuditChainRow } from './entities/audit-chain-entity.js';
import { AuditEventEntity, type AuditEventRow } from './entities/audit-event-entity.js';

/** Storage of audit events and the heads of their chains. */
export function createAuditStore({ dataSource }: { dataSource: DataSource }) {
  return {
    transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
      return dataSource.transaction(work);
    },

    async createChain(row: AuditChainRow): Promise<void> {
      await dataSource.manager.insert(AuditChainEntity, row);
    },

    /**
     * Reads a chain head under a write lock held until the transaction ends, so the
     * appends of one chain are serialised and a rolled-back append leaves no gap.
     */
    async lockChainHead(tx: EntityManager, chainId: string): Promise<AuditChainRow | null> {
      if (tx.connection.options.type === 'better-sqlite3') {
        await tx.query('UPDATE audit_chains SET chain_id = chain_id WHERE chain_id = ?', [chainId]);
        return tx.findOne(AuditChainEntity, { where: { chainId } });
      }
      return tx
        .createQueryBuilder(AuditChainEntity, 'c')
        .setLock('pessimistic_write')
        .where('c.chainId = :chainId', { chainId })
        .getOne();
    },

    async insertEvents(tx: EntityManager, events: ChainedAuditEvent[]): Promise<void> {
      // Batched so one statement carries a whole group of resolve records.
      for (let i = 0; i < events.length; i += 500) {
        await tx.insert(AuditEventEntity, events.slice(i, i + 500));
      }
    },

    async updateChainHead(
      tx: EntityManager,
      chainId: string,
      head: Pick<AuditChainRow, 'lastSeq' | 'lastHash'>,
    ) {
      await tx.update(AuditChainEntity, { chainId }, { ...head, updatedAt: new Date() });
    },

    /**
     * Runs reads in one transaction so they see one consistent snapshot (InnoDB
     * REPEATABLE READ; an SQLite read transaction): a verification walking the log
     * while writers append sees every chain head together with exactly its events.
     */
    snapshot<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
      if (dataSource.options.type === 'better-sqlite3') return dataSource.transaction(work);
      return dataSource.transaction('REPEATABLE READ', work);
    },

    listChains(tx: EntityManager = dataSource.manager): Promise<AuditChainRow[]> {
      return tx.find(AuditChainEntity, { order: { chainId: 'ASC' } });
    },

    /** Events in id order after `afterId`: verification streams the log in pages. */
    listEventsAfter(
      afterId: number,
      limit: number,
      tx: EntityManager = dataSource.manager,
    ): Promise<AuditEventRow[]> {
      return tx
        .createQueryBuilder(AuditEventEntity, 'e')
        .where('e.id > :afterId', { afterId })
        .orderBy('e.id', 'ASC')
        .limit(limit)
        .getMany();
    },

    /** One chain's events in sequence order after `afterSeq`: pruning walks a chain from its start. */
    listChainEvents(
      tx: EntityManager,
      chainId: string,
      afterSeq: number,
      limit: number,
    ): Promise<AuditEventRow[]> {
      return tx
        .createQueryBuilder(AuditEventEntity, 'e')
        .where('e.chainId = :chainId AND e.chainSeq > :afterSeq', { chainId, afterSeq })
        .orderBy('e.chainSeq', 'ASC')
        .limit(limit)
        .getMany();
    },

    /**
     * Deletes the start of a chain through `throughSeq` and moves the chain's pruned
     * anchor to the last deleted event, in the caller's transaction, so the kept part
     * still links to a recorded hash.
     */
    async pruneChainThrough(
      tx: EntityManager,
      chainId: string,
      anchor: Pick<AuditChainRow, 'prunedThroughSeq' | 'prunedThroughHash'>,
    ): Promise<void> {
      await tx
        .createQueryBuilder()
        .delete()
        .from(AuditEventEntity)
        .where('chain_id = :chainId AND chain_seq <= :through', { chainId, through: anchor.prunedThroughSeq })
        .execute();
      await tx.update(AuditChainEntity, { chainId }, { ...anchor, updatedAt: new Date() });
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
