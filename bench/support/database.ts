import { createConnection, createPool, type Pool } from 'mysql2/promise';
import type { DatabaseConfig } from '../../services/core/config/config.js';
import { createDataSource, runMigrations } from '../../services/storage/data-source.js';

/** The machine's MariaDB; the bench makes its own database there and drops it at the end. */
export const ADMIN_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

/** A migrated bench database: its URL for child processes, a pool for seeding and the bare floors. */
export interface BenchDatabase {
  url: string;
  pool: Pool;
  /** Empties every table (between benchmarks) so each starts from the same state. */
  truncate(): Promise<void>;
  drop(): Promise<void>;
}

/** Creates (afresh) and migrates database `name` on the server of `adminUrl` (the machine's MariaDB by default). */
export async function createBenchDatabase(
  name = 'strongroom_bench',
  adminUrl = ADMIN_URL,
): Promise<BenchDatabase> {
  const admin = await createConnection(adminUrl);
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { kind: 'mysql', url: url.toString() };
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  const pool = createPool({ uri: url.toString(), connectionLimit: 16, timezone: 'Z' });
  return {
    url: url.toString(),
    pool,
    async truncate() {
      await pool.query('SET FOREIGN_KEY_CHECKS = 0');
      // The integrity root goes too: each step may seal with keys of its own, and seeds a new one.
      for (const table of [
        'secret_members',
        'secret_versions',
        'secrets',
        'audit_events',
        'audit_chains',
        'audit_checkpoints',
        'integrity_roots',
      ]) {
        await pool.query(`TRUNCATE TABLE ${table}`);
      }
      // The outbox of SPEC §5.2, present once an API has migrated this database.
      for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_endpoints']) {
        await pool.query(`TRUNCATE TABLE ${table}`).catch((error: { code?: string }) => {
          if (error.code !== 'ER_NO_SUCH_TABLE') throw error;
        });
      }
      await pool.query('SET FOREIGN_KEY_CHECKS = 1');
    },
    async drop() {
      await pool.end();
      const conn = await createConnection(adminUrl);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
