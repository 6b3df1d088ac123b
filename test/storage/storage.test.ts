import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { createDataSource, migrations, runMigrations } from '../../services/storage/data-source.js';
import { DATABASE_KINDS, openMigratedDataSource, createTestDatabase } from '../support/databases.js';
import { seedSecret } from '../support/seed-secret.js';
import { createTestKeyring } from '../support/test-keyring.js';

const CANARY = 'canary-ZQ8-plaintext-value-71c3';

describe.each(DATABASE_KINDS)('storage on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let dataSource: DataSource;
  const keyring = createTestKeyring();
  const cipher = createEnvelopeCipher({ keyring });

  beforeAll(async () => {
    handle = await openMigratedDataSource(kind);
    dataSource = handle.dataSource;
  });
  afterAll(() => handle?.close());

  it('migrates an empty database up, and a second run finds nothing to do', async () => {
    const tables = (await dataSource.query(
      kind === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE type = 'table'"
        : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
    )) as Array<{ name: string }>;
    const names = tables.map((t) => t.name);
    for (const table of ['secrets', 'secret_versions', 'secret_members', 'audit_events', 'audit_chains']) {
      expect(names).toContain(table);
    }
    expect(await runMigrations(dataSource)).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(false);
    expect(migrations.length).toBeGreaterThan(0);
  });

  it('reads a secret back only through decryption, and no stored row holds its bytes', async () => {
    const secretStore = createSecretStore({ dataSource });
    const secret = await seedSecret(
      { secretStore, cipher },
      { workspaceId: 'ws-storage', name: 'STRIPE_KEY', value: CANARY },
    );
    const version = await secretStore.findVersion(secret.id, 1);
    expect(version).not.toBeNull();
    expect(Buffer.isBuffer(version!.ciphertext)).toBe(true);
    await expect(
      cipher.open(version!, {
        workspaceId: 'ws-storage',
        secretId: secret.id,
        version: 1,
        scope: 'WORKSPACE',
        ownerId: '',
      }),
    ).resolves.toBe(CANARY);

    const forms = [
      CANARY,
      Buffer.from(CANARY).toString('base64'),
      Buffer.from(CANARY).toString('hex'),
      encodeURIComponent(CANARY),
    ];
    for (const table of ['secrets', 'secret_versions', 'secret_members', 'audit_events']) {
      const rows = (await dataSource.query(`SELECT * FROM ${table}`)) as Array<Record<string, unknown>>;
      const dump = JSON.stringify(rows, (_k, v: unknown) =>
        v && typeof v === 'object' && 'type' in v && (v as { type: unknown }).type === 'Buffer'
          ? Buffer.from((v as unknown as { data: number[] }).data).toString('latin1')
          : v,
      );
      for (const form of forms) expect(dump).not.toContain(form);
    }
  });

  it('enforces one secret per (workspace, scope, owner, name), case-sensitively', async () => {
    const secretStore = createSecretStore({ dataSource });
    await seedSecret(
      { secretStore, cipher },
      { workspaceId: 'ws-unique', name: 'API_KEY', value: 'v1-value' },
    );
    await expect(
      seedSecret({ secretStore, cipher }, { workspaceId: 'ws-unique', name: 'API_KEY', value: 'v2-value' }),
    ).rejects.toThrow();
    // Same name, other case, other scope or owner: all distinct secrets.
    await seedSecret(
      { secretStore, cipher },
      { workspaceId: 'ws-unique', name: 'api_key', value: 'v3-value' },
    );
    await seedSecret(
      { secretStore, cipher },
      { workspaceId: 'ws-unique', name: 'API_KEY', value: 'v4-value', scope: 'PERSONAL', ownerId: 'u1' },
    );
    await seedSecret(
      { secretStore, cipher },
      { workspaceId: 'ws-unique', name: 'API_KEY', value: 'v5-value', scope: 'PERSONAL', ownerId: 'u2' },
    );
    await expect(
      seedSecret(
        { secretStore, cipher },
        { workspaceId: 'ws-unique', name: 'API_KEY', value: 'v6-value', scope: 'PERSONAL', ownerId: 'u2' },
      ),
    ).rejects.toThrow();
  });

  it('deleting a secret removes every sealed version', async () => {
    const secretStore = createSecretStore({ dataSource });
    const secret = await seedSecret(
      { secretStore, cipher },
      { workspaceId: 'ws-del', name: 'GONE', value: 'to-be-deleted' },
    );
    await secretStore.transaction((tx) => secretStore.deleteSecret(tx, secret.id));
    expect(await secretStore.listVersions(secret.id)).toEqual([]);
    expect(await secretStore.findSecretById(secret.id)).toBeNull();
  });
});

describe('the SQLite file', () => {
  it('holds no byte sequence of a stored plaintext, even after a checkpoint', async () => {
    const db = await createTestDatabase('sqlite');
    const dataSource = createDataSource(db.config);
    await dataSource.initialize();
    await runMigrations(dataSource);
    const cipher = createEnvelopeCipher({ keyring: createTestKeyring() });
    const secretStore = createSecretStore({ dataSource });
    for (let i = 0; i < 20; i++) {
      await seedSecret(
        { secretStore, cipher },
        { workspaceId: 'ws-file', name: `SECRET_${i}`, value: `${CANARY}-${i}` },
      );
    }
    await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    await dataSource.destroy();
    const dir = dirname(db.sqlitePath!);
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(`${dir}/${file}`);
      expect(bytes.includes(Buffer.from(CANARY))).toBe(false);
      expect(bytes.includes(Buffer.from(CANARY, 'utf16le'))).toBe(false);
    }
    await db.drop();
  });
});
