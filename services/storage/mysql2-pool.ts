import type { DataSource } from 'typeorm';

/** A pooled mysql2 connection, as far as it is used here. */
export interface Mysql2Connection {
  destroy(): void;
  stream?: { destroy?: () => void };
}

type Done = (error: (Error & { sqlState?: string }) | null, rows: unknown) => void;

/**
 * The mysql2 pool behind TypeORM's MySQL driver, as far as Strongroom uses it
 * directly: TypeORM offers neither server-side prepared statements nor pool
 * statistics. The underscored fields are mysql2 internals (it has no public pool
 * statistics); their readers treat them as optional, so a mysql2 upgrade that renames
 * them only disables those readers.
 */
export interface Mysql2Pool {
  query(sql: string, params: unknown[] | undefined, done: Done): void;
  execute(sql: string, params: unknown[] | undefined, done: Done): void;
  _allConnections?: { length: number };
  _freeConnections?: { length: number; toArray?: () => Array<Partial<Mysql2Connection>> };
}

/** The pool of a MySQL/MariaDB data source; undefined for SQLite or before it connects. */
export function mysql2PoolOf(dataSource: Pick<DataSource, 'driver'>): Mysql2Pool | undefined {
  return (dataSource.driver as unknown as { pool?: Mysql2Pool }).pool;
}

/**
 * One statement straight on the pool: `query` formats the parameters into the text
 * client-side, `execute` runs it as a server-side prepared statement (prepared once
 * per connection and statement text). Resolves with the rows (or result header).
 */
export function runOnPool<T>(
  dataSource: Pick<DataSource, 'driver'>,
  method: 'query' | 'execute',
  sql: string,
  params?: unknown[],
): Promise<T> {
  const pool = mysql2PoolOf(dataSource);
  if (!pool) return Promise.reject(new Error('no MySQL pool: the data source is not a connected MySQL one'));
  return new Promise((resolve, reject) =>
    pool[method](sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T))),
  );
}
