import type { DataSource } from 'typeorm';

/** Connections of the database pool at one instant. */
export interface PoolStats {
  used: number;
  idle: number;
}

/** The private fields of a mysql2 `Pool` we read: mysql2 has no public pool statistics. */
interface Mysql2PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
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
  const driver = dataSource.driver as { options: { type: string }; pool?: Mysql2PoolInternals };
  if (driver.options.type === 'better-sqlite3' || driver.options.type === 'sqlite') {
    return { used: 1, idle: 0 };
  }
  const all = driver.pool?._allConnections?.length;
  const free = driver.pool?._freeConnections?.length;
  if (typeof all !== 'number' || typeof free !== 'number') return undefined;
  return { used: all - free, idle: free };
}
