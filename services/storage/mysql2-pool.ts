import type { DataSource } from 'typeorm';

/** A pooled mysql2 connection, as far as it is used here. */
export interface Mysql2Connection {
  destroy(): void;
  stream?: { destroy?: () => void };
}

type Done = (error: (Error & { sqlState?: string }) | null, rows: unknown) => void;

/** A statement as mysql2 takes it in one object. */
interface StatementOptions {
  sql: string;
  values?: unknown[];
}

/** A connection taken from the pool: it runs one statement, then goes back or is destroyed. */
interface Mysql2PooledConnection extends Mysql2Connection {
  query(statement: StatementOptions, done: Done): void;
  execute(statement: StatementOptions, done: Done): void;
  release(): void;
}

/**
 * The mysql2 pool behind TypeORM's MySQL driver, as far as Strongroom uses it
 * directly: TypeORM offers neither server-side prepared statements nor pool
 * statistics. The underscored fields are mysql2 internals (it has no public pool
 * statistics); their readers treat them as optional, so a mysql2 upgrade that renames
 * them only disables those readers.
 */
export interface Mysql2Pool {
  getConnection(done: (error: Error | null, connection: Mysql2PooledConnection) => void): void;
  _allConnections?: { length: number };
  _freeConnections?: { length: number; toArray?: () => Array<Partial<Mysql2Connection>> };
}

/** The pool of a MySQL/MariaDB data source; undefined for SQLite or before it connects. */
export function mysql2PoolOf(dataSource: Pick<DataSource, 'driver'>): Mysql2Pool | undefined {
  return (dataSource.driver as unknown as { pool?: Mysql2Pool }).pool;
}

/** The error code of a statement that outlived its timeout: mysql2's own, for the same case. */
const STATEMENT_TIMEOUT_CODE = 'PROTOCOL_SEQUENCE_TIMEOUT';

/**
 * One statement straight on the pool: `query` formats the parameters into the text
 * client-side, `execute` runs it as a server-side prepared statement (prepared once
 * per connection and statement text). Resolves with the rows (or result header).
 *
 * A statement unanswered after `timeoutMs` — its prepare included — fails with
 * PROTOCOL_SEQUENCE_TIMEOUT, which callers treat as "database unavailable" (retryable).
 * Its connection is destroyed rather than handed back, since the statement is still
 * queued on it, and so are the pool's idle connections. On a server that has gone
 * silent (a partition, a stalled disk, a frozen process) each would otherwise keep
 * whatever is sent on it waiting until the kernel gives up on the socket, many minutes
 * later; new connections are bounded by the connect timeout. The statement's outcome is
 * then unknown: a server that was only slow may still carry it out.
 */
export function runOnPool<T>(
  dataSource: Pick<DataSource, 'driver'>,
  method: 'query' | 'execute',
  sql: string,
  params: unknown[] | undefined,
  timeoutMs: number,
): Promise<T> {
  const pool = mysql2PoolOf(dataSource);
  if (!pool) return Promise.reject(new Error('no MySQL pool: the data source is not a connected MySQL one'));
  return new Promise((resolve, reject) =>
    pool.getConnection((connectError, connection) => {
      if (connectError) {
        reject(connectError);
        return;
      }
      let answered = false;
      // mysql2's own `timeout` would not cover the prepare that an `execute` may need first.
      const timer = setTimeout(() => {
        answered = true;
        destroyConnection(connection);
        dropIdleConnections(pool);
        reject(
          Object.assign(new Error(`the database did not answer within ${timeoutMs} ms`), {
            code: STATEMENT_TIMEOUT_CODE,
          }),
        );
      }, timeoutMs);
      const answer = (error: unknown, rows?: unknown) => {
        clearTimeout(timer);
        if (answered) return;
        answered = true;
        connection.release();
        if (error) reject(error);
        else resolve(rows as T);
      };
      try {
        connection[method]({ sql, values: params }, answer);
      } catch (error) {
        // mysql2 refuses some parameters synchronously (an undefined bind value, say).
        answer(error);
      }
    }),
  );
}

/**
 * Takes a connection out of the pool for good. mysql2's `destroy()` only half-closes the
 * socket; destroying the socket too frees it now rather than when a silent peer answers.
 */
export function destroyConnection(connection: Partial<Mysql2Connection> | undefined): void {
  if (typeof connection?.destroy !== 'function') return;
  connection.destroy();
  connection.stream?.destroy?.();
}

/**
 * Destroys the pool's idle connections: to a server gone silent they are as silent, and
 * a statement given one would wait as long. A mysql2 upgrade that renames the field only
 * disables this.
 */
export function dropIdleConnections(pool: Mysql2Pool | undefined): void {
  for (const connection of pool?._freeConnections?.toArray?.() ?? []) destroyConnection(connection);
}
