import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keyContextOf } from '../../services/core/crypto/envelope-cipher.js';
import { generateMasterKey, writeKeyringFile } from '../../services/core/crypto/keyring-file.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { outcomeOf } from '../api/api-harness.js';
import { databaseUrlOf } from '../faults/support/crash-database.js';
import { cliEnv } from '../faults/support/crash-process.js';
import { dumpEveryTable, sqliteFiles } from '../faults/support/leak-database-dump.js';
import { startOutageServices, type OutageServices } from '../faults/support/outage-services.js';
import { runCli } from '../support/cli.js';
import { freePort, spawnCli, waitFor } from '../support/cli-process.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { httpGet } from '../support/http-get.js';
import { manualRun, resolveAndCheck, startResolveLoad } from '../support/resolve-load.js';
import { createSoftHsm, type SoftHsm, type SoftHsmToken } from '../support/softhsm.js';

const CREATE = `mutation($i: CreateSecretInput!) { createSecret(input: $i) { id version } }`;
const ROTATE = `mutation($i: UpdateSecretValueInput!) { updateSecretValue(input: $i) { version } }`;

/** How long services may take to see a token come back or a rotation made elsewhere. */
const RECOVERY_MS = 10_000;

/** A CLI run's exit code and output, whether it succeeded or not. */
async function cli(args: string[], env: Record<string, string>) {
  return runCli(args, env).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

/** Creates `count` secrets named `<prefix>_<i>`, rotating every third once; returns name → current value. */
async function createSecrets(s: OutageServices, workspaceId: string, prefix: string, count: number) {
  const bearer = await s.token('alice', workspaceId);
  const values = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const name = `${prefix}_${i}`;
    const created = await s.gql(bearer, CREATE, { i: { name, value: `${name}-v1` } });
    expect(outcomeOf(created), JSON.stringify(created.body)).toBe('OK');
    values.set(name, `${name}-v1`);
    if (i % 3 === 0) {
      const id = created.body.data!.createSecret.id as string;
      expect(outcomeOf(await s.gql(bearer, ROTATE, { i: { id, value: `${name}-v2` } }))).toBe('OK');
      values.set(name, `${name}-v2`);
    }
  }
  return values;
}

/** Data keys per key id, read straight from the database. */
async function keyCounts(db: TestDatabase): Promise<Record<string, number>> {
  const dataSource = createDataSource(db.config);
  await dataSource.initialize();
  try {
    const counts = await createSecretStore({ dataSource }).countVersionsByKey();
    return Object.fromEntries(counts.map((c) => [c.keyId, c.count]));
  } finally {
    await dataSource.destroy();
  }
}

/** Every file under `dir`, as bytes. */
function filesUnder(dir: string): Array<{ where: string; content: Buffer }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ where: path, content: readFileSync(path) }));
}

const hsm: SoftHsm = createSoftHsm();
// The services of these tests run in this process: its SoftHSM2 is this set-up.
hsm.useInThisProcess();
afterAll(() => hsm.remove());

describe.each(DATABASE_KINDS)('PKCS#11 keyring (SoftHSM2) under the API and the resolver on %s', (kind) => {
  let db: TestDatabase;
  let url: string;
  let token: SoftHsmToken;
  let cliDataDir: string;
  const cliWith = (args: string[], env: Record<string, string>) =>
    cli(args, { ...cliEnv(cliDataDir, url), ...env });

  // A database per test: each moves the integrity root with the data keys (SPEC §8.1), so
  // a later test starting on another provider would find it sealed by a keyring it lacks.
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    url = databaseUrlOf(db.config);
  });
  afterEach(async () => {
    await db?.drop();
  });
  beforeAll(async () => {
    token = await hsm.initToken(`sr-${kind}`);
    cliDataDir = mkdtempSync(join(tmpdir(), 'strongroom-keyring-cli-'));
  });
  afterAll(async () => {
    rmSync(cliDataDir, { recursive: true, force: true });
  });

  it(
    'creates, rotates and resolves; keys rotate then keys rewrap; status counts; no key material outside the token',
    { timeout: 120_000 },
    async () => {
      await token.createKey('basic');
      const env = token.env('basic');
      const s = await startOutageServices(url, env);
      try {
        const values = await createSecrets(s, 'ws-basic', 'BASIC', 6);
        expect(await resolveAndCheck(s.runner, 'ws-basic', [...values.keys()], values)).toEqual([]);
        expect(await keyCounts(db)).toEqual({ 'pkcs11:basic': 8 });

        const before = await cliWith(['keys', 'status'], env);
        expect(before.code).toBe(0);
        expect(before.stdout).toContain('provider: pkcs11');
        expect(before.stdout).toMatch(
          /keyring pkcs11 \(token "sr-\w+", library .*\), wraps and unwraps: answers/,
        );
        expect(before.stdout).toMatch(/pkcs11:basic: AES-256, not extractable, sensitive/);
        expect(before.stdout).toMatch(/pkcs11:basic {2}8 {2}\(pkcs11, active\)/);

        const rotated = await cliWith(['keys', 'rotate'], env);
        expect(rotated.code).toBe(0);
        const newKeyId = /generated master key (pkcs11:basic@\d{8}T\d{6}Z)/.exec(rotated.stdout)?.[1];
        expect(newKeyId, rotated.stdout + rotated.stderr).toBeDefined();
        expect(await token.listObjects()).toMatch(
          new RegExp(`label:\\s+${newKeyId!.slice(7)}[\\s\\S]*never extractable`),
        );

        // The running services wrap new data keys with the new key within seconds, no restart.
        const bearer = await s.token('alice', 'ws-basic');
        await waitFor(async () => {
          const name = `AFTER_ROTATE_${Date.now()}`;
          expect(outcomeOf(await s.gql(bearer, CREATE, { i: { name, value: `${name}-v1` } }))).toBe('OK');
          values.set(name, `${name}-v1`);
          expect((await keyCounts(db))[newKeyId!]).toBeGreaterThan(0);
        }, RECOVERY_MS);
        expect(await resolveAndCheck(s.runner, 'ws-basic', [...values.keys()], values)).toEqual([]);

        const rewrap = await cliWith(['keys', 'rewrap', '--batch-size', '3'], env);
        expect(rewrap.code, rewrap.stderr).toBe(0);
        expect(rewrap.stdout).toContain(`rewrapped 8 data key(s) to ${newKeyId}`);
        expect(Object.keys(await keyCounts(db))).toEqual([newKeyId]);
        expect(await resolveAndCheck(s.runner, 'ws-basic', [...values.keys()], values)).toEqual([]);

        const after = await cliWith(['keys', 'status'], env);
        expect(after.code).toBe(0);
        expect(after.stdout).toContain(`active key: ${newKeyId}`);
        expect(after.stdout).not.toMatch(/pkcs11:basic {2}\d/);

        // No key material outside the token: no keyring file was made, no data key and
        // no PIN is in the data dirs or the database, only wrapped keys of the HSM.
        const dataDirs = [s.runtime.config.dataDir, cliDataDir];
        for (const dir of dataDirs) expect(readdirSync(dir)).not.toContain('keyring.json');
        const dataSource = createDataSource(db.config);
        await dataSource.initialize();
        const versions = await dataSource.query(
          'SELECT v.secret_id AS secretId, v.version AS version, v.key_id AS keyId, v.wrapped_key AS wrappedKey, v.binding AS binding, s.workspace_id AS workspaceId, s.scope AS scope, s.owner_id AS ownerId FROM secret_versions v JOIN secrets s ON s.id = v.secret_id',
        );
        await dataSource.destroy();
        const dataKeys: Buffer[] = [];
        for (const v of versions as Array<{
          secretId: string;
          version: number;
          keyId: string;
          wrappedKey: Buffer;
          binding: number | string;
          workspaceId: string;
          scope: string;
          ownerId: string;
        }>) {
          expect(v.keyId.startsWith('pkcs11:')).toBe(true);
          dataKeys.push(
            await s.runtime.keyring.unwrap(
              { keyId: v.keyId, wrappedKey: Buffer.from(v.wrappedKey) },
              keyContextOf(
                {
                  workspaceId: v.workspaceId,
                  secretId: v.secretId,
                  version: Number(v.version),
                  scope: v.scope,
                  ownerId: v.ownerId,
                },
                Number(v.binding),
              ),
            ),
          );
        }
        const haystacks = [
          ...(await dumpEveryTable(db.config)).haystacks,
          ...(db.sqlitePath ? sqliteFiles(db.sqlitePath) : []),
          ...dataDirs.flatMap(filesUnder),
        ];
        const needles = [
          Buffer.from(token.pin),
          ...dataKeys.flatMap((k) => [k, Buffer.from(k.toString('hex')), Buffer.from(k.toString('base64'))]),
        ];
        const found = haystacks.flatMap(({ where, content }) => {
          const bytes = typeof content === 'string' ? Buffer.from(content) : content;
          return needles.some((n) => bytes.includes(n)) ? [where] : [];
        });
        expect(found).toEqual([]);
      } finally {
        await s.close();
      }
    },
  );

  it(
    'moves every data key from a keyring file to the HSM under resolve load: no call fails, every value stays readable',
    { timeout: 180_000 },
    async () => {
      const keyringFile = join(cliDataDir, 'previous-keyring.json');
      const fileKey = generateMasterKey();
      writeKeyringFile(keyringFile, { keys: [fileKey], activeKeyId: fileKey.id });
      const fileEnv = { STRONGROOM_MASTER_KEYS_FILE: keyringFile };

      // Before: the file keyring wraps everything.
      const before = await startOutageServices(url, fileEnv);
      let values: Map<string, string>;
      try {
        values = await createSecrets(before, 'ws-move', 'MOVE', 30);
      } finally {
        await before.close();
      }
      const countsBefore = await keyCounts(db);
      expect(countsBefore).toMatchObject({ [fileKey.id]: 40 });
      // Earlier tests' data keys (on other HSM keys) move as well: every key not on the active one.
      const toMove = Object.values(countsBefore).reduce((sum, n) => sum + n, 0);

      // The services run with the HSM active and the old file readable; rewrap moves the rest.
      await token.createKey('moved');
      const moveEnv = { ...token.env('moved'), ...fileEnv };
      const during = await startOutageServices(url, moveEnv);
      try {
        const load = startResolveLoad(during.runner, 'ws-move', values);
        const bearer = await during.token('alice', 'ws-move');
        const rewrap = cliWith(['keys', 'rewrap', '--batch-size', '4'], moveEnv);
        // Writes go on meanwhile, wrapped by the HSM.
        for (let i = 0; i < 5; i++) {
          const name = `MOVE_DURING_${i}`;
          expect(outcomeOf(await during.gql(bearer, CREATE, { i: { name, value: `${name}-v1` } }))).toBe(
            'OK',
          );
          values.set(name, `${name}-v1`);
        }
        const moved = await rewrap;
        const callsBeforeStop = load.calls;
        await new Promise((resolve) => setTimeout(resolve, 300));
        const result = await load.stop();
        expect(moved.code, moved.stderr).toBe(0);
        expect(moved.stdout).toContain(`rewrapped ${toMove} data key(s) to pkcs11:moved`);
        expect(moved.stdout).toContain('0 could not be unwrapped');
        expect(result.failures).toEqual([]);
        expect(callsBeforeStop).toBeGreaterThan(10);
        expect(await keyCounts(db)).toEqual({ 'pkcs11:moved': toMove + 5 });

        const status = await cliWith(['keys', 'status'], moveEnv);
        expect(status.code).toBe(0);
        expect(status.stdout).toMatch(/keyring file \(.*previous-keyring\.json\), unwraps only: answers/);
        expect(status.stdout).not.toContain(fileKey.id + '  ');
      } finally {
        await during.close();
      }

      // After: the keyring file is no longer needed; every value opens from the HSM alone.
      const after = await startOutageServices(url, token.env('moved'));
      try {
        expect(await resolveAndCheck(after.runner, 'ws-move', [...values.keys()], values)).toEqual([]);
      } finally {
        await after.close();
      }
    },
  );

  it(
    'the resolver asks the HSM once per data key per candidate-cache fill, not once per call',
    { timeout: 60_000 },
    async () => {
      await token.createKey('cached');
      const s = await startOutageServices(url, token.env('cached'));
      try {
        const values = await createSecrets(s, 'ws-cached', 'CACHED', 5);
        const keyring = s.runtime.keyring;
        const unwrap = keyring.unwrap.bind(keyring);
        let unwraps = 0;
        keyring.unwrap = (wrapped, context) => {
          unwraps += 1;
          return unwrap(wrapped, context);
        };
        for (let i = 0; i < 20; i++) {
          expect(await resolveAndCheck(s.runner, 'ws-cached', [...values.keys()], values)).toEqual([]);
        }
        expect(unwraps).toBe(values.size);
        // A rotation moves the workspace on: the next call reads afresh and unwraps again.
        const bearer = await s.token('alice', 'ws-cached');
        const created = await s.gql(bearer, CREATE, { i: { name: 'CACHED_NEW', value: 'CACHED_NEW-v1' } });
        expect(outcomeOf(created)).toBe('OK');
        values.set('CACHED_NEW', 'CACHED_NEW-v1');
        expect(await resolveAndCheck(s.runner, 'ws-cached', [...values.keys()], values)).toEqual([]);
        expect(unwraps).toBe(values.size * 2 - 1);
      } finally {
        await s.close();
      }
    },
  );

  it(
    'the token taken away: calls fail UNAVAILABLE with a clear reason, readiness 503; back, it serves without a restart',
    { timeout: 120_000 },
    async () => {
      await token.createKey('outage');
      const s = await startOutageServices(url, token.env('outage'));
      try {
        const values = await createSecrets(s, 'ws-outage', 'OUT', 2);
        const bearer = await s.token('alice', 'ws-outage');
        // One value resolved (its data key kept with its candidate), one never asked for.
        expect(await resolveAndCheck(s.runner, 'ws-outage', ['OUT_0'], values)).toEqual([]);
        expect(await s.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 });

        hsm.takeTokensAway();
        try {
          const failed = await s.runner.resolve({ context: manualRun('ws-outage'), names: ['OUT_1'] });
          expect(failed.error?.code).toBe(status.UNAVAILABLE);
          const created = await s.gql(bearer, CREATE, { i: { name: 'DURING', value: 'never-stored' } });
          expect(created.body.errors?.[0]?.extensions).toMatchObject({
            code: 'INTERNAL_SERVER_ERROR',
            retryable: true,
          });
          await waitFor(async () => {
            expect(await s.probes('/readyz')).toEqual({ api: 503, resolverOps: 503 });
          }, RECOVERY_MS);
          expect(s.logLines.join('\n')).toMatch(/The key provider \(pkcs11\) is unavailable: /);
          // The audit trail says why the value was not sent.
          const reasons = await s.runtime.dataSource.query(
            "SELECT reason FROM audit_events WHERE secret_name = 'OUT_1' AND action = 'secret.resolve'",
          );
          expect(reasons).toEqual([{ reason: 'KEYRING_UNAVAILABLE' }]);
        } finally {
          hsm.bringTokensBack();
        }
        await waitFor(async () => {
          expect(await s.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 });
        }, RECOVERY_MS);
        expect(await resolveAndCheck(s.runner, 'ws-outage', ['OUT_0', 'OUT_1'], values)).toEqual([]);
        expect(outcomeOf(await s.gql(bearer, CREATE, { i: { name: 'AFTER', value: 'after-v1' } }))).toBe(
          'OK',
        );
      } finally {
        await s.close();
      }
    },
  );

  it(
    'a refused PIN: `keys status` says so and exits 1; a resolver process is unready until the PIN file is corrected',
    { timeout: 120_000 },
    async () => {
      await token.createKey('pin');
      const pinFile = join(cliDataDir, 'pin-under-test');
      writeFileSync(pinFile, 'wrong-pin\n', { mode: 0o600 });
      const env = { ...token.env('pin'), STRONGROOM_PKCS11_PIN_FILE: pinFile };

      const status = await cliWith(['keys', 'status'], env);
      expect(status.code).toBe(1);
      expect(status.stdout).toMatch(/DOES NOT ANSWER: .*refused the PIN \(CKR_PIN_INCORRECT\)/);

      const opsPort = await freePort();
      const resolver = spawnCli(['resolver'], {
        ...cliEnv(mkdtempSync(join(tmpdir(), 'strongroom-pin-')), url, env),
        STRONGROOM_LOG_LEVEL: 'info',
        STRONGROOM_RESOLVER_PORT: String(await freePort()),
        STRONGROOM_RESOLVER_METRICS_PORT: String(opsPort),
      });
      try {
        await resolver.waitForLog(
          (line) => /refused the PIN \(CKR_PIN_INCORRECT\)/.test(JSON.stringify(line)),
          30_000,
        );
        await waitFor(async () => {
          const { status: code, body } = await httpGet(opsPort, '/readyz');
          expect(code).toBe(503);
          expect(JSON.parse(body)).toMatchObject({ checks: { keyring: false } });
        }, 30_000);
        writeFileSync(pinFile, `${token.pin}\n`);
        await waitFor(async () => {
          expect((await httpGet(opsPort, '/readyz')).status).toBe(200);
        }, RECOVERY_MS);
        // Neither the refused PIN nor the right one is ever written out.
        for (const output of [resolver.stderr(), resolver.stdout(), status.stdout, status.stderr]) {
          expect(output).not.toContain('wrong-pin');
          expect(output).not.toContain(token.pin);
        }
      } finally {
        await resolver.stop();
      }
    },
  );
});
