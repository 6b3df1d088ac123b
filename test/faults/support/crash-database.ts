import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { verifyAuditLog, type AuditVerification } from '../../../services/core/audit/audit-verifier.js';
import type { DatabaseConfig } from '../../../services/core/config/config.js';
import { createEnvelopeCipher } from '../../../services/core/crypto/envelope-cipher.js';
import type { Keyring } from '../../../services/core/crypto/keyring.js';
import { createAuditStore } from '../../../services/storage/audit-store.js';
import { SecretEntity } from '../../../services/storage/entities/secret-entity.js';
import { SecretVersionEntity } from '../../../services/storage/entities/secret-version-entity.js';

/** The DATABASE_URL a CLI process needs to open `config`. */
export const databaseUrlOf = (config: DatabaseConfig): string =>
  config.kind === 'sqlite' ? `sqlite:${config.path}` : config.url;

/** What a database looks like after a crash, read without any of the crashed process's state. */
export interface CrashInspection {
  secrets: number;
  versions: number;
  /** Versions whose secret row does not exist. */
  orphanVersions: number;
  /** Secrets whose versions are not exactly 1..currentVersion. */
  brokenVersionRuns: number;
  /** Versions (current or not) that the keyring could not open. */
  undecryptable: number;
  /** Versions whose value retention or destroySecretVersion deleted (nothing to open). */
  destroyed: number;
  /** Version count per master key id. */
  keyIds: Record<string, number>;
  audit: AuditVerification;
}

/** Opens every version of every secret with `keyring` and walks the audit chains. */
export async function inspectAfterCrash(dataSource: DataSource, keyring: Keyring): Promise<CrashInspection> {
  const cipher = createEnvelopeCipher({ keyring });
  const secrets = await dataSource.manager.find(SecretEntity);
  const workspaceOf = new Map(secrets.map((s) => [s.id, s]));
  const versions = await dataSource.manager.find(SecretVersionEntity, { order: { id: 'ASC' } });
  const bySecret = new Map<string, number[]>();
  let orphanVersions = 0;
  let undecryptable = 0;
  let destroyed = 0;
  const keyIds: Record<string, number> = {};
  for (const v of versions) {
    keyIds[v.keyId] = (keyIds[v.keyId] ?? 0) + 1;
    const secret = workspaceOf.get(v.secretId);
    if (!secret) {
      orphanVersions += 1;
      continue;
    }
    bySecret.set(v.secretId, [...(bySecret.get(v.secretId) ?? []), Number(v.version)]);
    if (v.destroyedAt) {
      destroyed += 1;
      continue;
    }
    try {
      await cipher.open(v, {
        workspaceId: secret.workspaceId,
        secretId: v.secretId,
        version: Number(v.version),
        scope: secret.scope,
        ownerId: secret.ownerId,
      });
    } catch {
      undecryptable += 1;
    }
  }
  const brokenVersionRuns = secrets.filter((s) => {
    const run = (bySecret.get(s.id) ?? []).sort((a, b) => a - b);
    return run.length !== Number(s.currentVersion) || run.some((n, i) => n !== i + 1);
  }).length;
  return {
    secrets: secrets.length,
    versions: versions.length,
    orphanVersions,
    brokenVersionRuns,
    undecryptable,
    destroyed,
    keyIds,
    audit: await verifyAuditLog(createAuditStore({ dataSource })),
  };
}

/** How far an open write transaction got, seen from outside the process writing it. */
export interface WriteProgress {
  /** A write transaction holds the database (SQLite) or has rows not yet committed (MariaDB). */
  writing: boolean;
  /** MariaDB: uncommitted rows matching the watched query. SQLite: bytes in the WAL file. */
  seen: number;
}

/**
 * Watches a write transaction of another process. MariaDB: a READ UNCOMMITTED session
 * counts the rows it has written so far, a READ COMMITTED one those committed. SQLite: asking for the write lock without
 * waiting is refused (SQLITE_BUSY) while a writer holds it, and the pages it spills
 * before commit grow the WAL file.
 */
export async function openWriteWatcher(config: DatabaseConfig, countSql: string) {
  if (config.kind === 'sqlite') {
    const db = new Database(config.path, { timeout: 0 });
    const walPath = `${config.path}-wal`;
    return {
      async progress(): Promise<WriteProgress> {
        const seen = existsSync(walPath) ? statSync(walPath).size : 0;
        try {
          db.exec('BEGIN IMMEDIATE');
          db.exec('ROLLBACK');
          return { writing: false, seen };
        } catch (error) {
          if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return { writing: true, seen };
          throw error;
        }
      },
      async close() {
        db.close();
      },
    };
  }
  const dirty = await createConnection(config.url);
  await dirty.query('SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED');
  const committed = await createConnection(config.url);
  await committed.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  const count = async (conn: typeof dirty) =>
    Number(((await conn.query(countSql))[0] as Array<{ n: number | string }>)[0]!.n);
  return {
    async progress(): Promise<WriteProgress> {
      // Dirty first: if the committed count, read after it, is still lower, the rows
      // were uncommitted when the dirty read saw them.
      const seen = await count(dirty);
      return { writing: seen > (await count(committed)), seen };
    },
    async close() {
      await Promise.all([dirty.end(), committed.end()]);
    },
  };
}
