import type { DataSource } from 'typeorm';
import { mysql2PoolOf } from './mysql2-pool.js';

/** Connections of the database pool at one instant. */
export interface PoolStats {
  used: number;
  idle: number;
}

/**
 * Reads the pool of a TypeORM data source: for MySQL/MariaDB the mysql2 pool behind
 * `driver.pool` (all connections minus free ones are in use); SQLite has one
 * connection, always open, reported as one used. Undefined when not connected or
 * when a mysql2 upgrade renamed the internals — a missing gauge, never a crash.
 */
export function readPoolStats(
  dataSource: Pick<DataSource, 'isInitialized' | 'driver'>,
): PoolStats | undefined {
  if (!dataSource.isInitialized) return undefined;
  const type: string = dataSource.driver.options.type;
  if (type === 'better-sqlite3' || type === 'sqlite') return { used: 1, idle: 0 };
  const pool = mysql2PoolOf(dataSource);
  const all = pool?._allConnections?.length;
  const free = pool?._freeConnections?.length;
  if (typeof all !== 'number' || typeof free !== 'number') return undefined;
  return { used: all - free, idle: free };
}
