import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../services/core/config/config.js';
import { createDataSource, runMigrations } from '../../services/storage/data-source.js';

/** The MariaDB every machine runs; tests make a private database on it per suite. */
export const MARIADB_ADMIN_URL = process.env.STRONGROOM_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export type DatabaseKind = 'sqlite' | 'mariadb';
export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'mariadb'];

/** A throw-away database: its config, and a `drop` that removes it. */
export interface TestDatabase {
  kind: DatabaseKind;
  config: DatabaseConfig;
  /** For SQLite, the file that holds the data. */
  sqlitePath?: string;
  drop(): Promise<void>;
}

/** Creates an empty database of the given kind (a fresh schema on MariaDB, a fresh file for SQLite). */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-test-'));
    const path = join(dir, 'test.sqlite');
    return {
      kind,
      config: { kind: 'sqlite', path },
      sqlitePath: path,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `strongroom_t_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection(MARIADB_ADMIN_URL);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = new URL(MARIADB_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    config: { kind: 'mysql', url: url.toString() },
    drop: async () => {
      const conn = await createConnection(MARIADB_ADMIN_URL);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** A migrated, connected data source on a fresh database; `close` disconnects and drops it. */
export async function openMigratedDataSource(
  kind: DatabaseKind,
): Promise<{ db: TestDatabase; dataSource: DataSource; close(): Promise<void> }> {
  const db = await createTestDatabase(kind);
  const dataSource = createDataSource(db.config);
  await dataSource.initialize();
  await runMigrations(dataSource);
  return {
    db,
    dataSource,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}

/** Something that runs SQL: a TypeORM data source, or a query runner on one. */
interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The `n` of a `SELECT COUNT(*) AS n …`, as a number whichever way the driver returns it. */
export async function countRows(queryable: Queryable, sql: string, parameters?: unknown[]): Promise<number> {
  const rows = (await queryable.query(sql, parameters)) as Array<{ n: number | string }>;
  return Number(rows[0]!.n);
}
