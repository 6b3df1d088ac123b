import type { DataSource, QueryRunner } from 'typeorm';
import { galeraReady, GALERA_READY_SQL, isGaleraDataSource } from './data-source.js';
import { reportHostDown } from './database-hosts.js';
import {
  destroyConnection,
  dropIdleConnections,
  mysql2PoolOf,
  type Mysql2Connection,
} from './mysql2-pool.js';

/**
 * A readiness check: resolves true when the database answers `SELECT 1` within
 * `timeoutMs` (a Galera node: says it is in the primary component, `wsrep_ready`), false
 * when it fails or is slower. Probes must not hang on a dead pool,
 * nor take it over:
 *
 * - Concurrent probes share one ping, so probes hold at most one pooled connection.
 * - A ping that times out on a server that accepts TCP but answers nothing (a network
 *   partition, a stalled disk) would keep its connection until the kernel gives up on
 *   the socket, many minutes later; a probe every few seconds would fill the pool and
 *   leave every call queued behind them. Its connection is destroyed instead, which
 *   takes it out of the pool at once.
 * - A ping that timed out while still waiting for a connection is dropped when the
 *   pool hands one over; until then probes answer false without queueing another.
 * - The pool's idle connections go too: to a silent server they are as silent, and a
 *   call given one would wait as long. Without them a call opens a new connection,
 *   which the connect timeout bounds, and fails UNAVAILABLE instead of hanging.
 */
export function createDatabasePing(
  dataSource: Pick<DataSource, 'isInitialized' | 'createQueryRunner'>,
  timeoutMs: number,
): () => Promise<boolean> {
  let inFlight: Promise<boolean> | undefined;
  let waitingForConnection = false;

  async function pingOnce(): Promise<boolean> {
    let runner: QueryRunner;
    try {
      runner = dataSource.createQueryRunner();
    } catch {
      return false;
    }
    let abandoned = false;
    let connected = false;
    const ping = (async () => {
      await runner.connect();
      connected = true;
      if (abandoned) throw new Error('ping abandoned');
      if (!isGalera(runner)) {
        await runner.query('SELECT 1');
        return true;
      }
      if (galeraReady(await runner.query(GALERA_READY_SQL))) return true;
      // A node outside the primary component: this connection goes, and with a host
      // list so does the node, for a while (see database-hosts.ts).
      const connection = (runner as { databaseConnection?: Partial<Mysql2Connection> }).databaseConnection;
      reportHostDown(connection);
      destroyConnection(connection);
      return false;
    })().catch(() => false);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const answered = await Promise.race([ping, timeout]);
    clearTimeout(timer);
    if (answered !== 'timeout') {
      await runner.release();
      return answered;
    }
    abandoned = true;
    dropIdlePoolConnections(runner);
    if (connected) {
      destroyRunnerConnection(runner);
    } else {
      waitingForConnection = true;
      void ping.then(async () => {
        destroyRunnerConnection(runner);
        await runner.release();
        waitingForConnection = false;
      });
    }
    return false;
  }

  return () => {
    if (!dataSource.isInitialized || waitingForConnection) return Promise.resolve(false);
    inFlight ??= pingOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

const isMysql = (runner: QueryRunner) => runner.dataSource.driver.options.type === 'mysql';
const isGalera = (runner: QueryRunner) => isMysql(runner) && isGaleraDataSource(runner.dataSource);

/** Drops the connection a ping holds. SQLite has no connection to drop. */
function destroyRunnerConnection(runner: QueryRunner): void {
  if (!isMysql(runner)) return;
  destroyConnection((runner as { databaseConnection?: Partial<Mysql2Connection> }).databaseConnection);
}

/** Drops the pool's idle connections. SQLite has none. */
function dropIdlePoolConnections(runner: QueryRunner): void {
  if (isMysql(runner)) dropIdleConnections(mysql2PoolOf(runner.dataSource));
}
