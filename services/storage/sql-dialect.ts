import type { DataSource } from 'typeorm';

export type SqlDialect = 'mysql' | 'sqlite';

/** The two SQL dialects Strongroom runs on. */
export function sqlDialect(dataSource: Pick<DataSource, 'options'>): SqlDialect {
  return dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}
