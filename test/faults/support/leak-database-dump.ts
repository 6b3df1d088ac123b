import { existsSync, readFileSync } from 'node:fs';
import type { DatabaseConfig } from '../../../services/core/config/config.js';
import { createDataSource } from '../../../services/storage/data-source.js';
import type { Haystack } from './leak-search.js';

/** A cell as text, and binary cells also as their raw bytes and their hex. */
function cellHaystacks(where: string, value: unknown): Haystack[] {
  if (Buffer.isBuffer(value))
    return [
      { where, content: value },
      { where: `${where} (hex)`, content: value.toString('hex') },
    ];
  if (value instanceof Date) return [{ where, content: value.toISOString() }];
  return [{ where, content: typeof value === 'string' ? value : (JSON.stringify(value) ?? '') }];
}

/** Every row of every table (listed from the database, not from the entities), cell by cell. */
export async function dumpEveryTable(
  config: DatabaseConfig,
): Promise<{ tables: string[]; haystacks: Haystack[] }> {
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const listed = (await dataSource.query(
      config.kind === 'sqlite'
        ? "SELECT name AS name FROM sqlite_master WHERE type = 'table'"
        : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
    )) as Array<{ name: string }>;
    const tables = listed.map((t) => t.name);
    const haystacks: Haystack[] = [];
    for (const table of tables) {
      const quoted = config.kind === 'sqlite' ? `"${table}"` : `\`${table}\``;
      const rows = (await dataSource.query(`SELECT * FROM ${quoted}`)) as Array<Record<string, unknown>>;
      for (const [i, row] of rows.entries())
        for (const [column, value] of Object.entries(row))
          haystacks.push(...cellHaystacks(`table ${table} row ${i} ${column}`, value));
    }
    return { tables, haystacks };
  } finally {
    await dataSource.destroy();
  }
}

/** The SQLite database file and its WAL and shared-memory files, byte for byte. */
export function sqliteFiles(path: string): Haystack[] {
  return [path, `${path}-wal`, `${path}-shm`]
    .filter((file) => existsSync(file))
    .map((file) => ({ where: `file ${file}`, content: readFileSync(file) }));
}
