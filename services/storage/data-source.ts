import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { format, type SqlValue, type Timezone } from 'mysql2';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from './database-config.js';
import { createHostChooser, failoverSocket, reportHostDown } from './database-hosts.js';
import { dropIdleConnections, mysql2PoolOf, type Mysql2Pool } from './mysql2-pool.js';
import { isDatabaseUnavailable, StorageError } from './storage-errors.js';
import { AuditChainEntity } from './entities/audit-chain-entity.js';
import { AuditCheckpointEntity } from './entities/audit-checkpoint-entity.js';
import { AuditEventEntity } from './entities/audit-event-entity.js';
import { IntegrityRootEntity } from './entities/integrity-root-entity.js';
import { SecretEntity } from './entities/secret-entity.js';
import { SecretMemberEntity } from './entities/secret-member-entity.js';
import { SecretVersionEntity } from './entities/secret-version-entity.js';
import { InitialSchema1763770000000 } from './migrations/1763770000000-initial-schema.js';
import { AuditQueryIndexes1763780000000 } from './migrations/1763780000000-audit-query-indexes.js';
import { SecretListingIndex1763790000000 } from './migrations/1763790000000-secret-listing-index.js';
import { SecretGenerations1763800000000 } from './migrations/1763800000000-secret-generations.js';
import { KeyIdLength1763812400000 } from './migrations/1763812400000-key-id-length.js';
import { AuditRunGrantFields1765000000000 } from './migrations/1765000000000-audit-run-grant-fields.js';
import { Integrity1765050000000 } from './migrations/1765050000000-integrity.js';
import { AuditOccurrences1765060000000 } from './migrations/1765060000000-audit-occurrences.js';
import { SecretVersions1765100000000 } from './migrations/1765100000000-secret-versions.js';
import { SecretExpiry1765110000000 } from './migrations/1765110000000-secret-expiry.js';
import { Webhooks1765120000000 } from './migrations/1765120000000-webhooks.js';

export const entities = [
  SecretEntity,
  SecretVersionEntity,
  SecretMemberEntity,
  AuditEventEntity,
  AuditChainEntity,
  AuditCheckpointEntity,
  IntegrityRootEntity,
];
export const migrations = [
  InitialSchema1763770000000,
  AuditQueryIndexes1763780000000,
  SecretListingIndex1763790000000,
  SecretGenerations1763800000000,
  KeyIdLength1763812400000,
  AuditRunGrantFields1765000000000,
  Integrity1765050000000,
  AuditOccurrences1765060000000,
  SecretVersions1765100000000,
  SecretExpiry1765110000000,
  Webhooks1765120000000,
];

/**
 * The session time zone of MySQL connections: DATETIME values are read and written in
 * UTC. Statements built as text (audit appends) escape their dates with it too.
 */
export const MYSQL_TIMEZONE = 'Z';

/**
 * mysql2's own formatting, except that a statement without parameters is sent as it
 * is: mysql2 formats every query, and with no values its formatter still scans the
 * whole text for placeholders, which for an audit batch (its values escaped into the
 * text already, audit-store.ts) is tens of kilobytes per statement.
 */
function formatQuery(sql: string, values: unknown, timezone: Timezone): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return format(sql, values as SqlValue[], false, timezone);
}

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * With several hosts (the nodes of a Galera cluster), every new pooled connection goes
 * to one that accepts it (see database-hosts.ts); with one, mysql2 connects as usual.
 */
function failoverStreamOption(database: Extract<DatabaseConfig, { kind: 'mysql' }>): {
  stream?: () => unknown;
} {
  if (!database.hosts || database.hosts.length < 2) return {};
  const chooser = createHostChooser(database.hosts);
  return { stream: () => failoverSocket(chooser, CONNECT_TIMEOUT_MS) };
}

/**
 * Builds (but does not connect) the one data source of a process. The schema is
 * changed only by migrations; `synchronize` stays off.
 */
export function createDataSource(database: DatabaseConfig, options: { poolSize?: number } = {}): DataSource {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging: false } as const;
  let dataSourceOptions: DataSourceOptions;
  if (database.kind === 'sqlite') {
    if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
    dataSourceOptions = {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      enableWAL: database.path !== ':memory:',
      timeout: 10_000,
      prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
      },
    };
  } else {
    dataSourceOptions = {
      ...common,
      type: 'mysql',
      url: database.url,
      timezone: MYSQL_TIMEZONE,
      charset: 'utf8mb4_bin',
      connectTimeout: CONNECT_TIMEOUT_MS,
      poolSize: options.poolSize ?? 10,
      extra: {
        enableKeepAlive: true,
        waitForConnections: true,
        queueLimit: 1000,
        queryFormat: formatQuery,
        ...failoverStreamOption(database),
      },
    };
  }
  const dataSource = new DataSource(dataSourceOptions);
  if (database.kind === 'sqlite') serializeTransactions(dataSource);
  else setSessionSqlModeOnConnect(dataSource);
  return dataSource;
}

/**
 * The SQL mode every MySQL connection of Strongroom runs in, whatever the server's global
 * mode: strict, and without NO_BACKSLASH_ESCAPES, ANSI_QUOTES or PIPES_AS_CONCAT. mysql2
 * formats `?` parameters on the client and escapes a quote with a backslash, which under
 * NO_BACKSLASH_ESCAPES is an ordinary character, so a value could end its string literal
 * and run as SQL. The audit batches are formatted the same way. Every mode named here
 * exists on MariaDB and MySQL 8.
 */
export const SESSION_SQL_MODE = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/**
 * Sets SESSION_SQL_MODE on every pooled connection before it runs anything else: a
 * connection runs its commands in order, and the pool announces each new one before
 * handing it out. Connections TypeORM opened while initializing, before the pool could
 * be watched, are closed so that none runs in the server's mode.
 */
function setSessionSqlModeOnConnect(dataSource: DataSource): void {
  const initialize = dataSource.initialize.bind(dataSource);
  dataSource.initialize = async () => {
    await initialize();
    const pool = mysql2PoolOf(dataSource) as
      (Mysql2Pool & { on(event: 'connection', listener: (c: SqlModeConnection) => void): void }) | undefined;
    if (!pool) return dataSource;
    const galera = await isGaleraNode(dataSource);
    // A candidate lookup gathers a secret's members with GROUP_CONCAT (resolution-store.ts),
    // which MariaDB cuts at 1 KiB unless told otherwise.
    const session =
      `SET SESSION sql_mode = '${SESSION_SQL_MODE}', SESSION group_concat_max_len = 1048576` +
      (galera ? `, SESSION wsrep_sync_wait = ${GALERA_SYNC_WAIT}` : '');
    if (galera) galeraSources.add(dataSource);
    pool.on('connection', (connection) => {
      connection.query(session, (error) => {
        // A connection that could not be put in the right mode is never used.
        if (error) connection.destroy();
      });
      // Nor one to a Galera node outside the primary component, which accepts connections
      // but serves nothing; with a host list the next connection goes to another node.
      if (galera) {
        connection.query(GALERA_READY_SQL, (error, rows) => {
          if (!error && galeraReady(rows)) return;
          reportHostDown(connection);
          connection.destroy();
        });
      }
    });
    dropIdleConnections(pool);
    return dataSource;
  };
}

/**
 * On a Galera cluster a commit returns once the cluster has certified it, and the
 * other nodes apply it a little later: a read on another node in between sees the row
 * as it was. Strongroom promises that a rotation committed anywhere is what the next
 * resolve serves (SPEC, docs/deploy-galera.md), and its resolve cache trusts a kept
 * candidate only if the workspace generation it reads is unchanged, a read that would
 * be just as stale. So every connection to a Galera node sets `wsrep_sync_wait = 1`:
 * each SELECT (and SHOW) first waits until this node has applied every write set the
 * cluster had committed when it started, a causal read. It costs one round trip among
 * the nodes per statement, measured in docs/performance.md ("Galera").
 */
const GALERA_SYNC_WAIT = 1;

const galeraSources = new WeakSet<DataSource>();

/** True when `dataSource` is connected to a Galera cluster (known once it is initialized). */
export const isGaleraDataSource = (dataSource: DataSource): boolean => galeraSources.has(dataSource);

/**
 * Whether a Galera node serves: `wsrep_ready` is ON only in the primary component. A node
 * cut off from the others still answers `SELECT 1` (and a causal read there waits until
 * `repl.causal_read_timeout`), so readiness asks this instead.
 */
export const GALERA_READY_SQL = "SHOW STATUS LIKE 'wsrep_ready'";

/** True when the rows of GALERA_READY_SQL say the node serves. */
export function galeraReady(rows: unknown): boolean {
  return Array.isArray(rows) && (rows[0] as { Value?: unknown } | undefined)?.Value === 'ON';
}

/** True when the server is a Galera node with replication on (`wsrep_on`); false on plain MySQL/MariaDB. */
async function isGaleraNode(dataSource: DataSource): Promise<boolean> {
  const rows = (await dataSource.query("SHOW VARIABLES LIKE 'wsrep_on'")) as Array<{ Value?: string }>;
  return rows[0]?.Value === 'ON';
}

/** A new pooled connection, as far as setting its mode needs. */
interface SqlModeConnection {
  query(sql: string, done: (error: Error | null, rows?: unknown) => void): void;
  destroy(): void;
  stream?: unknown;
}

/**
 * better-sqlite3 gives TypeORM one connection, on which two interleaved
 * transactions fail ("cannot start a transaction within a transaction"); SQLite
 * has a single writer anyway, so transactions of this process take turns.
 * Transactions must not nest.
 */
function serializeTransactions(dataSource: DataSource): void {
  const original = dataSource.transaction.bind(dataSource) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  dataSource.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => original(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as DataSource['transaction'];
}

/**
 * Connects a data source built by `createDataSource`. A database that cannot be reached
 * is an `unavailable` StorageError naming only its host and port (never the URL's credentials):
 * a service does not start without its database, it exits so that its supervisor
 * restarts it (see docs/faults.md, "Database outage").
 */
export async function connectDataSource(dataSource: DataSource, database: DatabaseConfig): Promise<void> {
  try {
    await dataSource.initialize();
  } catch (error) {
    if (database.kind !== 'mysql' || !isDatabaseUnavailable(error)) throw error;
    const code = (error as { code?: unknown }).code;
    throw new StorageError(
      'unavailable',
      `cannot reach the database at ${databaseAddress(database.url)}` +
        `${typeof code === 'string' ? ` (${code})` : ''}; start it, or fix DATABASE_URL, then start again.`,
      { cause: error },
    );
  }
}

/** `host:port` of a mysql:// URL, without user or password. */
function databaseAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '3306'}`;
  } catch {
    return 'the configured address';
  }
}

/** Applies pending migrations; returns the names of those it ran. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}
