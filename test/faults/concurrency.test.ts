import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { outcomeOf, startApi, type ApiHarness } from '../api/api-harness.js';
import { countRows, DATABASE_KINDS } from '../support/databases.js';
import { pollUntil } from './support/crash-process.js';
import {
  CREATE_SECRET,
  IMPORT_SECRETS,
  REGISTER_SYSTEM_SECRET,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';

const WRITERS = 100;
const CREATORS = 30;

describe.each(DATABASE_KINDS)('concurrent writes through the HTTP API on %s', (kind) => {
  let api: ApiHarness;
  let admin: string;
  let member: string;

  beforeAll(async () => {
    // Every version is kept, so each can be shown to hold what its call wrote (retention: secret-versions.test.ts).
    api = await startApi(kind, { env: { STRONGROOM_VERSIONS_KEPT: '1000' } });
    admin = await api.token({ sub: 'alice', wid: 'ws-c', role: 'admin' });
    member = await api.token({ sub: 'bob', wid: 'ws-c', role: 'member' });
  });
  afterAll(() => api?.close());

  const auditCount = (action: string, secretId?: string): Promise<number> =>
    countRows(
      api.dataSource,
      `SELECT COUNT(*) AS n FROM audit_events WHERE workspace_id = 'ws-c' AND action = ? AND outcome = 'SUCCESS'${secretId ? ' AND secret_id = ?' : ''}`,
      secretId ? [action, secretId] : [action],
    );

  it(`${WRITERS} parallel updateSecretValue: versions 1..${WRITERS + 1} without gap or duplicate, the last one current`, async () => {
    const created = await api.gql(admin, CREATE_SECRET, { i: { name: 'RACED', value: 'value-initial' } });
    expect(outcomeOf(created)).toBe('OK');
    const id = created.body.data!.createSecret.id as string;

    const values = Array.from({ length: WRITERS }, (_, i) => `value-${i}-${'z'.repeat(i % 7)}`);
    const results = await Promise.all(
      values.map((value) => api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value } })),
    );
    expect(results.map(outcomeOf)).toEqual(values.map(() => 'OK'));

    const valueOfVersion = new Map<number, string>([[1, 'value-initial']]);
    results.forEach((r, i) =>
      valueOfVersion.set(r.body.data!.updateSecretValue.version as number, values[i]!),
    );
    // Each call was answered with its own version: no two writers took the same number.
    expect([...valueOfVersion.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: WRITERS + 1 }, (_, i) => i + 1),
    );

    const { secretStore, cipher } = api.runtime;
    const versions = await secretStore.listVersions(id);
    expect(versions.map((v) => Number(v.version))).toEqual(
      Array.from({ length: WRITERS + 1 }, (_, i) => i + 1),
    );
    const secret = (await secretStore.findSecretById(id))!;
    expect(Number(secret.currentVersion)).toBe(WRITERS + 1);
    // Every stored version holds what the call that was told that version wrote.
    for (const v of versions) {
      const context = {
        workspaceId: 'ws-c',
        secretId: id,
        version: Number(v.version),
        scope: 'WORKSPACE',
        ownerId: '',
      };
      expect(await cipher.open(v, context)).toBe(valueOfVersion.get(Number(v.version)));
    }
    const current = (await secretStore.findVersion(id, Number(secret.currentVersion)))!;
    const resolved = await cipher.open(current, {
      workspaceId: 'ws-c',
      secretId: id,
      version: WRITERS + 1,
      scope: 'WORKSPACE',
      ownerId: '',
    });
    expect(resolved).toBe(valueOfVersion.get(WRITERS + 1));

    expect(await auditCount('secret.update_value', id)).toBe(WRITERS);
    expect(await verifyAuditLog(api.runtime.auditStore)).toMatchObject({ ok: true });
  });

  it(`${CREATORS} parallel createSecret of one name: one success, CONFLICT for the rest, one row`, async () => {
    const results = await Promise.all(
      Array.from({ length: CREATORS }, (_, i) =>
        api.gql(admin, CREATE_SECRET, { i: { name: 'ONLY_ONCE', value: `candidate-${i}` } }),
      ),
    );
    const outcomes = results.map(outcomeOf);
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(CREATORS - 1);

    const rows = (await api.dataSource.query("SELECT id FROM secrets WHERE name = 'ONLY_ONCE'")) as Array<{
      id: string;
    }>;
    expect(rows).toHaveLength(1);
    const winner = results.find((r) => outcomeOf(r) === 'OK')!.body.data!.createSecret.id as string;
    expect(rows[0]!.id).toBe(winner);
    expect(await api.runtime.secretStore.listVersions(winner)).toHaveLength(1);
    expect(await auditCount('secret.create', winner)).toBe(1);
    expect(
      await countRows(
        api.dataSource,
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'secret.create' AND secret_name = 'ONLY_ONCE'",
      ),
    ).toBe(1);
    expect(await verifyAuditLog(api.runtime.auditStore)).toMatchObject({ ok: true });
  });

  it('parallel first registrations of one system secret: all succeed, one secret, one version each', async () => {
    const REGISTER = REGISTER_SYSTEM_SECRET;
    const service = await api.token({ sub: 'svc-ci', wid: 'ws-c', scope: 'secrets:system' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.gql(service, REGISTER, { i: { integration: 'ci', name: 'CI_TOKEN', value: `token-${i}` } }),
      ),
    );
    // Registration is idempotent: whoever is second is a refresh, not a conflict.
    expect(results.map(outcomeOf)).toEqual(results.map(() => 'OK'));
    const ids = new Set(results.map((r) => r.body.data!.registerSystemSecret.id as string));
    expect(ids.size).toBe(1);
    const versions = results
      .map((r) => r.body.data!.registerSystemSecret.version as number)
      .sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it("mixed writes to one workspace all go through, though each moves the workspace's one generation row", async () => {
    const IMPORT = IMPORT_SECRETS;
    // A workspace of its own: the other tests count this suite's audit records.
    const owner = await api.token({ sub: 'alice', wid: 'ws-mixed', role: 'admin' });
    const shared = await api.gql(owner, CREATE_SECRET, { i: { name: 'MIXED_SHARED', value: 'v0' } });
    expect(outcomeOf(shared)).toBe('OK');
    const id = shared.body.data!.createSecret.id as string;
    const generationBefore = await countRows(
      api.dataSource,
      "SELECT generation AS n FROM secret_generations WHERE workspace_id = 'ws-mixed'",
    );
    // Creates of new names, rotations of one secret, and imports that overwrite it
    // and create more: every one takes the generation row in its own transaction, some
    // after row locks the others hold.
    const writes = [
      ...Array.from({ length: 20 }, (_, i) =>
        api.gql(owner, CREATE_SECRET, { i: { name: `MIXED_NEW_${i}`, value: `new-${i}` } }),
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        api.gql(owner, UPDATE_SECRET_VALUE, { i: { id, value: `rotated-${i}` } }),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        api.gql(owner, IMPORT, {
          i: { dotenv: `MIXED_SHARED=imported-${i}\nMIXED_IMPORTED_${i}=x`, onConflict: 'OVERWRITE' },
        }),
      ),
    ];
    const outcomes = (await Promise.all(writes)).map(outcomeOf);
    expect(outcomes).toEqual(writes.map(() => 'OK'));
    const secret = (await api.runtime.secretStore.findSecretById(id))!;
    expect(Number(secret.currentVersion)).toBe(1 + 20 + 4);
    const generationAfter = await countRows(
      api.dataSource,
      "SELECT generation AS n FROM secret_generations WHERE workspace_id = 'ws-mixed'",
    );
    expect(generationAfter).toBeGreaterThan(generationBefore + writes.length);
    expect(await verifyAuditLog(api.runtime.auditStore)).toMatchObject({ ok: true });
  });

  it('two OVERWRITE imports of the same names in opposite orders both go through', async () => {
    const IMPORT = IMPORT_SECRETS;
    const names = Array.from({ length: 40 }, (_, i) => `CROSSED_${i}`);
    const dotenv = (tag: string, order: string[]) => order.map((n) => `${n}=${tag}-${n}`).join('\n');
    expect(outcomeOf(await api.gql(admin, IMPORT, { i: { dotenv: dotenv('v1', names) } }))).toBe('OK');
    // Each import locks the rows it overwrites in its own line order: a lock-order cycle.
    const results = await Promise.all([
      api.gql(admin, IMPORT, { i: { dotenv: dotenv('up', names), onConflict: 'OVERWRITE' } }),
      api.gql(admin, IMPORT, {
        i: { dotenv: dotenv('down', [...names].reverse()), onConflict: 'OVERWRITE' },
      }),
    ]);
    expect(results.map((r) => r.body.data?.importSecrets ?? outcomeOf(r))).toEqual([
      { created: 0, updated: names.length, skipped: 0 },
      { created: 0, updated: names.length, skipped: 0 },
    ]);
    const rows = (await api.dataSource.query(
      "SELECT current_version FROM secrets WHERE name LIKE 'CROSSED%'",
    )) as Array<{ current_version: number | string }>;
    expect(rows.map((r) => Number(r.current_version))).toEqual(names.map(() => 3));
    expect(await auditCount('secret.import')).toBe(names.length * 3);
    expect(await verifyAuditLog(api.runtime.auditStore)).toMatchObject({ ok: true });
  });

  it('parallel creates of one name across scopes: one per scope and owner, CONFLICT for the rest', async () => {
    const attempts = [
      ...Array.from({ length: 10 }, () => [admin, 'WORKSPACE'] as const),
      ...Array.from({ length: 10 }, () => [admin, 'PERSONAL'] as const),
      ...Array.from({ length: 10 }, () => [member, 'PERSONAL'] as const),
    ];
    const results = await Promise.all(
      attempts.map(([token, scope], i) =>
        api.gql(token, CREATE_SECRET, { i: { name: 'PER_SCOPE', scope, value: `v-${i}` } }),
      ),
    );
    const outcomes = results.map(outcomeOf);
    for (const group of [0, 1, 2]) {
      const slice = outcomes.slice(group * 10, group * 10 + 10);
      expect(slice.filter((o) => o === 'OK')).toHaveLength(1);
      expect(slice.filter((o) => o === 'CONFLICT')).toHaveLength(9);
    }
    const rows = (await api.dataSource.query(
      "SELECT scope, owner_id FROM secrets WHERE name = 'PER_SCOPE' ORDER BY scope, owner_id",
    )) as Array<{ scope: string; owner_id: string }>;
    expect(rows).toEqual([
      { scope: 'PERSONAL', owner_id: 'alice' },
      { scope: 'PERSONAL', owner_id: 'bob' },
      { scope: 'WORKSPACE', owner_id: '' },
    ]);
  });
});

// A lock-order deadlock needs two writers that each hold a lock the other wants; on
// SQLite there is one writer at a time, so this one exists on MariaDB only.
describe('a deadlock chosen as victim on mariadb', () => {
  let api: ApiHarness;
  let admin: string;

  beforeAll(async () => {
    api = await startApi('mariadb');
    admin = await api.token({ sub: 'alice', wid: 'ws-d', role: 'admin' });
  });
  afterAll(() => api?.close());

  it('is retried inside the service: the caller gets its new version, not INTERNAL', async () => {
    const created = await api.gql(admin, CREATE_SECRET, { i: { name: 'DEADLOCKED', value: 'first' } });
    const id = created.body.data!.createSecret.id as string;
    const url = (api.dataSource.options as { url: string }).url;
    const other = await createConnection(url);
    const watcher = await createConnection(url);
    try {
      // Another writer takes the audit chain head first, and is made heavier than the
      // rotation (InnoDB rolls back the lighter transaction of a deadlock).
      await other.query('CREATE TABLE IF NOT EXISTS deadlock_ballast (n INT PRIMARY KEY)');
      await other.query('BEGIN');
      await other.query(`INSERT INTO deadlock_ballast (n) SELECT seq FROM seq_1_to_2000`);
      await other.query('SELECT chain_id FROM audit_chains WHERE chain_id = ? FOR UPDATE', [
        api.runtime.auditLog.chainId,
      ]);
      // The rotation locks the secret row, writes its version, then waits for the chain head…
      const rotation = api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: 'second' } });
      await pollUntil(
        async () => {
          const [rows] = await watcher.query(
            "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE info LIKE '%FROM `audit_chains`%FOR UPDATE'",
          );
          return Number((rows as Array<{ n: number }>)[0]!.n) > 0 ? true : undefined;
        },
        { timeoutMs: 10_000, what: 'the rotation to wait for the chain head' },
      );
      // …which waits for the secret row: a cycle, and the rotation is the victim.
      await other.query('SELECT id FROM secrets WHERE id = ? FOR UPDATE', [id]);
      await other.query('ROLLBACK');
      const result = await rotation;
      expect(outcomeOf(result)).toBe('OK');
      expect(result.body.data!.updateSecretValue.version).toBe(2);
    } finally {
      await other.end();
      await watcher.end();
    }
    expect((await api.runtime.secretStore.listVersions(id)).map((v) => Number(v.version))).toEqual([1, 2]);
    expect(
      await countRows(
        api.dataSource,
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'secret.update_value' AND secret_id = ?",
        [id],
      ),
    ).toBe(1);
    expect(await verifyAuditLog(api.runtime.auditStore)).toMatchObject({ ok: true });
  });
});
