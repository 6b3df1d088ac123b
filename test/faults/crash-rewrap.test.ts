import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, EntitySchema, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { loadConfig } from '../../services/core/config/config.js';
import { loadKeyring } from '../../services/core/config/load-keyring.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { rewrapDataKeys } from '../../services/core/crypto/rewrap-data-keys.js';
import { ensureKeyringFile, readKeyringFile } from '../../services/core/crypto/keyring-file.js';
import { createLocalKeyring } from '../../services/core/crypto/keyring.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { SecretEntity } from '../../services/storage/entities/secret-entity.js';
import { SecretVersionEntity } from '../../services/storage/entities/secret-version-entity.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { runCli } from '../support/cli.js';
import {
  countRows,
  DATABASE_KINDS,
  openMigratedDataSource,
  type TestDatabase,
} from '../support/databases.js';
import { rotateSecret, secretRow, seedSecret } from '../support/seed-secret.js';
import { createTestKeyring } from '../support/test-keyring.js';
import { databaseUrlOf, inspectAfterCrash } from './support/crash-database.js';
import { spawnCli, type CliProcess } from '../support/cli-process.js';
import { cliEnv, pollUntil } from './support/crash-process.js';

const SECRETS = 400;
const VERSIONS_EACH = 5;
const TOTAL = SECRETS * VERSIONS_EACH;
const BATCH = 10;
const ROWS_PER_INSERT = 200;

/** Writes `rows` with multi-row inserts of up to ROWS_PER_INSERT rows each. */
async function insertInChunks<Row extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntitySchema<Row>,
  rows: QueryDeepPartialEntity<Row>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .execute();
  }
}

/**
 * Several thousand sealed versions, written with multi-row inserts: sealed by the real
 * cipher under the keyring the CLI will read, each version bound to its own row.
 */
async function seedVersions(dataSource: DataSource, keyringPath: string): Promise<void> {
  // The keyring as it is now, so sealing never picks up the rotation running beside it.
  const contents = readKeyringFile(keyringPath);
  const cipher = createEnvelopeCipher({ keyring: createLocalKeyring(() => contents) });
  const now = new Date();
  const secrets = Array.from({ length: SECRETS }, (_, i) =>
    secretRow({
      workspaceId: `ws-${i % 4}`,
      name: `REWRAP_${i}`,
      currentVersion: VERSIONS_EACH,
      createdAt: now,
    }),
  );
  await insertInChunks(dataSource, SecretEntity, secrets);
  const versions = [];
  for (const s of secrets) {
    for (let version = 1; version <= VERSIONS_EACH; version++) {
      const sealed = await cipher.seal(`${s.name}@${version}:${randomBytes(16).toString('hex')}`, {
        workspaceId: s.workspaceId,
        secretId: s.id,
        version,
      });
      versions.push({ secretId: s.id, version, ...sealed, createdAt: now, createdBy: 'seed' });
    }
  }
  await insertInChunks(dataSource, SecretVersionEntity, versions);
  // An audit trail for the crash to leave intact.
  const auditLog = await openAuditLog({ auditStore: createAuditStore({ dataSource }) });
  await auditLog.appendCommitted(
    secrets.map((s) => ({
      action: 'secret.create' as const,
      outcome: 'SUCCESS' as const,
      actorType: 'user' as const,
      actorId: 'seed',
      workspaceId: s.workspaceId,
      secretId: s.id,
      secretName: s.name,
      scope: s.scope,
      version: 1,
    })),
  );
}

// The two databases run side by side: most of each is waiting on a child process.
describe.concurrent.each(DATABASE_KINDS)('kill -9 of `strongroom keys rewrap` halfway on %s', (kind) => {
  let db: TestDatabase;
  let dataDir: string;
  let dataSource: DataSource;
  let rewrap: CliProcess | undefined;

  beforeAll(async () => {
    ({ db, dataSource } = await openMigratedDataSource(kind));
    dataDir = mkdtempSync(join(tmpdir(), 'strongroom-crash-rewrap-'));
  });
  afterAll(async () => {
    await rewrap?.kill();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'leaves every version decryptable under old or new key, the audit log verifying; a second run finishes',
    { timeout: 90_000 },
    async () => {
      const env = cliEnv(dataDir, databaseUrlOf(db.config));
      const keyringPath = join(dataDir, 'keyring.json');
      ensureKeyringFile(keyringPath);
      const oldKeyId = readKeyringFile(keyringPath).activeKeyId;
      await Promise.all([seedVersions(dataSource, keyringPath), runCli(['keys', 'rotate'], env)]);
      const newKeyId = readKeyringFile(keyringPath).activeKeyId;
      expect(newKeyId).not.toBe(oldKeyId);

      const store = createSecretStore({ dataSource });
      const byKey = async () =>
        Object.fromEntries((await store.countVersionsByKey()).map((c) => [c.keyId, c.count]));
      expect(await byKey()).toEqual({ [oldKeyId]: TOTAL });

      rewrap = spawnCli(['keys', 'rewrap', '--batch-size', String(BATCH)], env);
      // Halfway: a quarter or more of the rows committed on the new key (tens of
      // batches), the rest not yet.
      const midway = await pollUntil(
        async () => {
          const counts = await byKey();
          return (counts[newKeyId] ?? 0) >= TOTAL / 4 ? counts : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 2, what: 'the rewrap to have committed a quarter of the rows' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; its stderr: ${rewrap?.stderr().slice(-2_000)}`);
      });
      const exit = await rewrap.kill();
      rewrap = undefined;
      expect(exit.signal).toBe('SIGKILL');
      expect(midway[oldKeyId] ?? 0).toBeGreaterThan(0);

      await dataSource.destroy();
      // A fresh connection (for SQLite: the file reopened, the dead writer's WAL recovered).
      dataSource = createDataSource(db.config);
      await dataSource.initialize();
      if (kind === 'sqlite') {
        expect(await dataSource.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      }
      const keyring = loadKeyring(loadConfig({ STRONGROOM_DATA_DIR: dataDir }));
      const rewrapRuns = () =>
        countRows(dataSource, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'keys.rewrap'");
      const afterCrash = await inspectAfterCrash(dataSource, keyring);
      expect(afterCrash).toMatchObject({
        secrets: SECRETS,
        versions: TOTAL,
        orphanVersions: 0,
        brokenVersionRuns: 0,
        undecryptable: 0,
        audit: { ok: true },
      });
      // The seeded trail and the run's own record (keys.rewrap is audited before it starts).
      expect(afterCrash.audit.checked).toBe(SECRETS + (await rewrapRuns()));
      expect(await rewrapRuns()).toBe(1);
      // Only the two keys, and both still in use: the kill landed between batches or inside one.
      expect(Object.keys(afterCrash.keyIds).sort()).toEqual([oldKeyId, newKeyId].sort());
      const leftOver = afterCrash.keyIds[oldKeyId]!;
      expect(leftOver).toBeGreaterThan(0);
      expect(afterCrash.keyIds[newKeyId]).toBeGreaterThanOrEqual(midway[newKeyId]!);

      const again = await runCli(['keys', 'rewrap', '--batch-size', String(BATCH)], env);
      expect(again.stdout).toContain(`rewrapped ${leftOver} data key(s) to ${newKeyId}`);
      expect(again.stdout).toContain('0 could not be unwrapped');
      expect(await inspectAfterCrash(dataSource, keyring)).toMatchObject({
        versions: TOTAL,
        undecryptable: 0,
        keyIds: { [newKeyId]: TOTAL },
        audit: { ok: true, checked: SECRETS + 2 },
      });
      expect(await rewrapRuns()).toBe(2);
    },
  );
});

describe.each(DATABASE_KINDS)('rewrap beside deletions on %s', (kind) => {
  it('a page whose secrets are all deleted before its keys are swapped does not end the run early', async () => {
    const handle = await openMigratedDataSource(kind);
    try {
      const keyring = createTestKeyring();
      const cipher = createEnvelopeCipher({ keyring });
      const real = createSecretStore({ dataSource: handle.dataSource });
      const doomed = await seedSecret(
        { secretStore: real, cipher },
        { workspaceId: 'w', name: 'DOOMED', value: 'd' },
      );
      for (let i = 2; i <= 4; i++) await rotateSecret({ secretStore: real, cipher }, doomed, `d${i}`);
      const kept = await seedSecret(
        { secretStore: real, cipher },
        { workspaceId: 'w', name: 'KEPT', value: 'k' },
      );
      const newKeyId = keyring.rotate().id;

      // The first page read (DOOMED's 4 versions) is followed, before their keys are
      // swapped, by a real deletion committed by someone else.
      let deleted = false;
      const source = handle.dataSource;
      const racingSource = Object.create(source, {
        query: {
          value: async (...args: Parameters<DataSource['query']>) => {
            const rows: unknown = await source.query(...args);
            if (!deleted && /FROM secret_versions/.test(args[0])) {
              deleted = true;
              await real.transaction((tx) => real.deleteSecret(tx, doomed.id));
            }
            return rows;
          },
        },
      }) as DataSource;
      const result = await rewrapDataKeys({
        secretStore: createSecretStore({ dataSource: racingSource }),
        cipher,
        keyring,
        batchSize: 4,
      });
      expect(deleted).toBe(true);
      // DOOMED's rows are gone when their swap runs: skipped, and the run goes on to KEPT.
      expect(result).toMatchObject({ rewrapped: 1, skipped: 4, failed: 0 });
      expect(await real.countVersionsByKey()).toEqual([{ keyId: newKeyId, count: 1 }]);
      const version = (await real.findVersion(kept.id, 1))!;
      expect(
        await cipher.open(version, {
          workspaceId: 'w',
          secretId: kept.id,
          version: 1,
          scope: 'WORKSPACE',
          ownerId: '',
        }),
      ).toBe('k');
    } finally {
      await handle.close();
    }
  });
});
