import type { DataSource, EntityManager } from 'typeorm';
import { format } from 'mysql2';
import { eventRowsInsertSql, mariadbInsertEventsSql } from './audit-insert-sql.js';
import { allHold, type CommitPrecondition } from './commit-precondition.js';
import { MYSQL_TIMEZONE } from './data-source.js';
import { AuditChainEntity, type AuditChainRow } from './entities/audit-chain-entity.js';
import {
  AuditEventEntity,
  type AuditEventRecord,
  type AuditEventRow,
} from './entities/audit-event-entity.js';
import { runOnPool } from './mysql2-pool.js';
import { DEFAULT_DB_STATEMENT_TIMEOUT_MS } from './statement-timeout.js';
import { StorageError, withStorageErrors } from './storage-errors.js';

/** Events per INSERT statement. */
const ROWS_PER_INSERT = 500;
const HEAD_MOVED = 'audit chain head moved';
const PRECONDITION_FAILED = 'commit precondition failed';

const preconditionFailed = () =>
  new StorageError('precondition-failed', 'a condition of the commit no longer held; nothing was written');

/**
 * The compound statement's check: signal (and so roll back) unless every precondition
 * holds. The condition is read by a SELECT of its own, not in the IF: on a Galera node
 * a SELECT inside a compound statement waits for the node to catch up with the cluster
 * (`wsrep_sync_wait`, see data-source.ts), an IF's expression is evaluated at once, and
 * a rotation committed on another node a moment ago would not be seen by it.
 */
function preconditionCheckSql(preconditions: readonly CommitPrecondition[]): string {
  const condition = allHold(preconditions);
  return `SELECT CASE WHEN ${format(condition.sql, condition.params as never[])} THEN 1 ELSE 0 END INTO holds;
        IF holds <> 1 THEN
          SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${PRECONDITION_FAILED}';
        END IF;`;
}

/** Storage of audit events and the heads of their chains. */
export function createAuditStore({
  dataSource,
  statementTimeoutMs = DEFAULT_DB_STATEMENT_TIMEOUT_MS,
}: {
  dataSource: DataSource;
  /** How long a group-commit batch's statement may take on MariaDB (see runOnPool). */
  statementTimeoutMs?: number;
}) {
  async function insertEvents(tx: EntityManager, events: AuditEventRecord[]): Promise<void> {
    // One statement carries a whole group-commit batch of resolve records. On MariaDB it
    // is written as plain SQL: building it through TypeORM's insert builder cost more CPU
    // than the resolve itself. SQLite keeps the entity insert, which formats its dates.
    const sqlite = tx.connection.options.type === 'better-sqlite3';
    for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
      const chunk = events.slice(i, i + ROWS_PER_INSERT);
      if (sqlite) await tx.insert(AuditEventEntity, chunk);
      else await tx.query(eventRowsInsertSql(chunk));
    }
  }

  /**
   * Throws a `precondition-failed` StorageError unless every precondition holds, as this
   * transaction sees it. It is the transaction's first plain (non-locking) read, so on
   * InnoDB its snapshot holds every commit made before it ran.
   */
  async function requirePreconditions(
    tx: EntityManager,
    preconditions: readonly CommitPrecondition[],
  ): Promise<void> {
    if (preconditions.length === 0) return;
    const condition = allHold(preconditions);
    const rows = (await tx.query(
      `SELECT CASE WHEN ${condition.sql} THEN 1 ELSE 0 END AS holds`,
      condition.params,
    )) as Array<{ holds: number | string }>;
    if (Number(rows[0]?.holds) !== 1) throw preconditionFailed();
  }

  // Anonymous compound statements (BEGIN NOT ATOMIC) are MariaDB's; MySQL and SQLite
  // take the same steps as an ordinary transaction. Asked once per store.
  let compound: Promise<boolean> | undefined;
  function supportsCompoundStatements(): Promise<boolean> {
    if (dataSource.options.type === 'better-sqlite3') return Promise.resolve(false);
    compound ??= dataSource
      .query('SELECT VERSION() AS version')
      .then((rows: Array<{ version: string }>) => /mariadb/i.test(rows[0]?.version ?? ''))
      .catch((error: unknown) => {
        compound = undefined;
        throw error;
      });
    return compound;
  }

  return withStorageErrors({
    transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
      return dataSource.transaction(work);
    },

    async createChain(row: AuditChainRow, tx?: EntityManager): Promise<void> {
      await (tx ?? dataSource.manager).insert(AuditChainEntity, row);
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

    insertEvents,
    requirePreconditions,

    /**
     * Appends `events` to a chain with one writer, in a transaction of their own:
     * moves the head from `expected` to `next` only if it is still at `expected` (taking
     * the head row's lock), inserts the events, commits. Returns false, with nothing
     * written, when the head was elsewhere; the caller must then lock and re-read.
     * With `preconditions`, it also checks, before any event is written, that each
     * holds, and throws a `precondition-failed` StorageError, with nothing written, if not.
     * On MariaDB the whole transaction is one anonymous compound statement, one round
     * trip: the check runs under the lock on the server, and any failure inside rolls
     * the transaction back before the error is returned. Elsewhere it is an ordinary
     * transaction (guarded UPDATE, then INSERT).
     */
    async appendToOwnChain(
      chainId: string,
      expected: Pick<AuditChainRow, 'lastSeq' | 'lastHash'>,
      next: Pick<AuditChainRow, 'lastSeq' | 'lastHash'>,
      events: AuditEventRecord[],
      preconditions: readonly CommitPrecondition[] = [],
    ): Promise<boolean> {
      if (!(await supportsCompoundStatements())) {
        return dataSource.transaction(async (tx) => {
          // The head's UPDATE first: on SQLite it takes the write lock, so no other
          // process can commit between the precondition check and this transaction's end.
          const moved = await tx
            .createQueryBuilder()
            .update(AuditChainEntity)
            .set({ ...next, updatedAt: new Date() })
            .where('chain_id = :chainId AND last_seq = :lastSeq AND last_hash = :lastHash', {
              chainId,
              lastSeq: expected.lastSeq,
              lastHash: expected.lastHash,
            })
            .execute();
          if ((moved.affected ?? 0) === 0) return false;
          await requirePreconditions(tx, preconditions);
          await insertEvents(tx, events);
          return true;
        });
      }
      const inserts: string[] = [];
      for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
        inserts.push(`${mariadbInsertEventsSql(events.slice(i, i + ROWS_PER_INSERT))};`);
      }
      const sql = `BEGIN NOT ATOMIC
        DECLARE holds INT DEFAULT 0;
        DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
        START TRANSACTION;
        ${preconditions.length === 0 ? '' : preconditionCheckSql(preconditions)}
        ${format(
          `UPDATE audit_chains SET last_seq = ?, last_hash = ?, updated_at = ?
          WHERE chain_id = ? AND last_seq = ? AND last_hash = ?;`,
          [next.lastSeq, next.lastHash, new Date(), chainId, expected.lastSeq, expected.lastHash],
          false,
          MYSQL_TIMEZONE,
        )}
        IF ROW_COUNT() <> 1 THEN
          SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${HEAD_MOVED}';
        END IF;
        ${inserts.join('\n')}
        COMMIT;
      END`;
      // Every value is already escaped into the text, so mysql2 sends it as it is.
      try {
        await runOnPool(dataSource, 'query', sql, undefined, statementTimeoutMs);
        return true;
      } catch (error) {
        const { sqlState, message } = error as { sqlState?: string; message?: string };
        if (sqlState === '45000' && message?.includes(HEAD_MOVED)) return false;
        if (sqlState === '45000' && message?.includes(PRECONDITION_FAILED)) throw preconditionFailed();
        throw error;
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

    /**
     * The events at given (chain, seq) positions, in one statement per 200: what an
     * incremental verification re-reads to see that what it walked before is unchanged.
     */
    async findEventsAt(
      tx: EntityManager,
      positions: ReadonlyArray<{ chainId: string; seq: number }>,
    ): Promise<Array<Pick<AuditEventRow, 'chainId' | 'chainSeq' | 'hash' | 'occurredAt'>>> {
      const found: Array<Pick<AuditEventRow, 'chainId' | 'chainSeq' | 'hash' | 'occurredAt'>> = [];
      for (let i = 0; i < positions.length; i += 200) {
        const chunk = positions.slice(i, i + 200);
        const query = tx
          .createQueryBuilder(AuditEventEntity, 'e')
          .select(['e.chainId', 'e.chainSeq', 'e.hash', 'e.occurredAt']);
        chunk.forEach((p, n) => {
          const where = `(e.chainId = :c${n} AND e.chainSeq = :s${n})`;
          const params = { [`c${n}`]: p.chainId, [`s${n}`]: p.seq };
          if (n === 0) query.where(where, params);
          else query.orWhere(where, params);
        });
        found.push(...(await query.getMany()));
      }
      return found.map((e) => ({ ...e, chainSeq: Number(e.chainSeq) }));
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
  });
}

export type AuditStore = ReturnType<typeof createAuditStore>;
