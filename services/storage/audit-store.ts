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

    listChains(): Promise<AuditChainRow[]> {
      return dataSource.manager.find(AuditChainEntity, { order: { chainId: 'ASC' } });
    },

    /** Events in id order after `afterId`: verification streams the log in pages. */
    listEventsAfter(afterId: number, limit: number): Promise<AuditEventRow[]> {
      return dataSource.manager
        .createQueryBuilder(AuditEventEntity, 'e')
        .where('e.id > :afterId', { afterId })
        .orderBy('e.id', 'ASC')
        .limit(limit)
        .getMany();
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
