import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey, writeKeyringFile } from '../../services/core/crypto/keyring-file.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { outcomeOf } from '../api/api-harness.js';
import { databaseUrlOf } from '../faults/support/crash-database.js';
import { cliEnv } from '../faults/support/crash-process.js';
import { startOutageServices, type OutageServices } from '../faults/support/outage-services.js';
import { runCli } from '../support/cli.js';
import { waitFor } from '../support/cli-process.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { startKmsEmulator, type KmsCall, type KmsEmulator } from '../support/kms-emulator.js';
import { manualRun, resolveAndCheck, startResolveLoad } from '../support/resolve-load.js';
import { createSoftHsm, type SoftHsm } from '../support/softhsm.js';

const CREATE = `mutation($i: CreateSecretInput!) { createSecret(input: $i) { id version } }`;
const ROTATE = `mutation($i: UpdateSecretValueInput!) { updateSecretValue(input: $i) { version } }`;

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

/** The versions in the database: key id per version, and each version's (workspace, secret, version). */
async function storedVersions(db: TestDatabase) {
  const dataSource = createDataSource(db.config);
  await dataSource.initialize();
  try {
    const rows = (await dataSource.query(
      `SELECT s.workspace_id AS workspaceId, v.secret_id AS secretId, v.version AS version FROM secret_versions v
         JOIN secrets s ON s.id = v.secret_id`,
    )) as Array<{ workspaceId: string; secretId: string; version: number | string }>;
    const counts = await createSecretStore({ dataSource }).countVersionsByKey();
    return {
      counts: Object.fromEntries(counts.map((c) => [c.keyId, c.count])),
      bindings: new Set(rows.map((r) => `${r.workspaceId}/${r.secretId}/${Number(r.version)}`)),
    };
  } finally {
    await dataSource.destroy();
  }
}

/** Every Encrypt and Decrypt carried a data key's full context, naming a version that exists. */
function expectContextOnEveryCall(calls: KmsCall[], bindings: Set<string>): void {
  const keyCalls = calls.filter((c) => c.operation === 'Encrypt' || c.operation === 'Decrypt');
  expect(keyCalls.length).toBeGreaterThan(0);
  for (const call of keyCalls) {
    expect(call.outcome).toBe('ok');
    const c = call.encryptionContext ?? {};
    // The integrity root (SPEC §8.1) is sealed under its own fixed context, bound to no secret.
    if (c.purpose === 'integrity-root') {
      expect(Object.keys(c)).toEqual(['purpose']);
      continue;
    }
    // A data key's context names its version, and the secret's scope and owner (binding 2).
    expect(Object.keys(c).sort()).toEqual([
      'ownerId',
      'purpose',
      'scope',
      'secretId',
      'version',
      'workspaceId',
    ]);
    expect(c.purpose).toBe('data-key');
    expect(bindings.has(`${c.workspaceId}/${c.secretId}/${c.version}`)).toBe(true);
  }
}

let kms: KmsEmulator;
let hsm: SoftHsm;

beforeAll(async () => {
  kms = await startKmsEmulator();
  // The services of these tests run in this process; the AWS SDK reads its own settings
  // from the environment, as it would in a pod: here they point it at the emulator.
  Object.assign(process.env, kms.awsEnv());
  hsm = createSoftHsm();
  hsm.useInThisProcess();
});
afterAll(async () => {
  await kms?.stop();
  hsm?.remove();
});

describe.each(DATABASE_KINDS)(
  'AWS KMS keyring (local KMS emulator) under the API and the resolver on %s',
  (kind) => {
    let db: TestDatabase;
    let url: string;
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
      cliDataDir = mkdtempSync(join(tmpdir(), 'strongroom-kms-cli-'));
    });
    afterAll(async () => {
      rmSync(cliDataDir, { recursive: true, force: true });
    });

    it(
      'moves every data key from a keyring file to KMS under resolve load, then to another KMS key; the context checked on every call',
      { timeout: 180_000 },
      async () => {
        const keyringFile = join(cliDataDir, 'previous-keyring.json');
        const fileKey = generateMasterKey();
        writeKeyringFile(keyringFile, { keys: [fileKey], activeKeyId: fileKey.id });
        const fileEnv = { STRONGROOM_MASTER_KEYS_FILE: keyringFile };

        const before = await startOutageServices(url, fileEnv);
        let values: Map<string, string>;
        try {
          values = await createSecrets(before, 'ws-kms', 'KMS', 30);
        } finally {
          await before.close();
        }
        expect((await storedVersions(db)).counts).toEqual({ [fileKey.id]: 40 });

        const first = kms.createKey();
        const kmsEnv = { STRONGROOM_KEYRING: 'aws-kms', STRONGROOM_AWS_KMS_KEY_ID: first.id };
        const moveEnv = { ...kmsEnv, ...fileEnv };
        const callsFrom = kms.calls.length;
        const during = await startOutageServices(url, moveEnv);
        try {
          const load = startResolveLoad(during.runner, 'ws-kms', values);
          const bearer = await during.token('alice', 'ws-kms');
          const rewrap = cliWith(['keys', 'rewrap', '--batch-size', '4'], moveEnv);
          for (let i = 0; i < 5; i++) {
            const name = `KMS_DURING_${i}`;
            expect(outcomeOf(await during.gql(bearer, CREATE, { i: { name, value: `${name}-v1` } }))).toBe(
              'OK',
            );
            values.set(name, `${name}-v1`);
          }
          const moved = await rewrap;
          const callsBeforeStop = load.calls;
          const result = await load.stop();
          expect(moved.code, moved.stderr).toBe(0);
          expect(moved.stdout).toContain(`rewrapped 40 data key(s) to kms:${first.id}`);
          expect(result.failures).toEqual([]);
          expect(callsBeforeStop).toBeGreaterThan(10);
        } finally {
          await during.close();
        }
        const afterMove = await storedVersions(db);
        expect(afterMove.counts).toEqual({ [`kms:${first.id}`]: 45 });
        expectContextOnEveryCall(kms.calls.slice(callsFrom), afterMove.bindings);

        // Another KMS key: configured, then `keys rewrap` (KMS keys are not made by Strongroom).
        const rotate = await cliWith(['keys', 'rotate'], kmsEnv);
        expect(rotate.code).toBe(1);
        expect(rotate.stderr).toMatch(/set STRONGROOM_AWS_KMS_KEY_ID to the new key id/);
        const second = kms.createKey();
        const secondEnv = { STRONGROOM_KEYRING: 'aws-kms', STRONGROOM_AWS_KMS_KEY_ID: second.id };
        const secondFrom = kms.calls.length;
        const rewrapped = await cliWith(['keys', 'rewrap'], secondEnv);
        expect(rewrapped.stdout).toContain(`rewrapped 45 data key(s) to kms:${second.id}`);
        const decrypts = kms.calls
          .slice(secondFrom)
          .filter((c) => c.operation === 'Decrypt' && c.encryptionContext?.purpose === 'data-key');
        expect(decrypts.length).toBe(45);
        // The integrity root moved with them (SPEC §8.1): unsealed by the first key, sealed by the second.
        const root = kms.calls
          .slice(secondFrom)
          .filter((c) => c.encryptionContext?.purpose === 'integrity-root')
          .map((c) => [c.operation, c.keyId]);
        expect(root.slice(0, 2)).toEqual([
          ['Decrypt', first.id],
          ['Encrypt', second.id],
        ]);
        // Then only the new key opens it (the command's shutdown checkpoint signs with it).
        expect(
          root.slice(2).every(([operation, keyId]) => operation === 'Decrypt' && keyId === second.id),
        ).toBe(true);
        expect(decrypts.every((c) => c.keyId === first.id)).toBe(true);
        const afterSecond = await storedVersions(db);
        expect(afterSecond.counts).toEqual({ [`kms:${second.id}`]: 45 });
        expectContextOnEveryCall(kms.calls.slice(secondFrom), afterSecond.bindings);

        const status = await cliWith(['keys', 'status'], secondEnv);
        expect(status.code).toBe(0);
        expect(status.stdout).toContain(`keyring aws-kms (key ${second.id}), wraps and unwraps: answers`);
        expect(status.stdout).toContain(`kms:${second.id}  45  (aws-kms, active)`);

        // Only KMS now: every value opens.
        const after = await startOutageServices(url, secondEnv);
        try {
          expect(await resolveAndCheck(after.runner, 'ws-kms', [...values.keys()], values)).toEqual([]);
        } finally {
          await after.close();
        }
      },
    );

    it(
      'moves data keys from an HSM to KMS: the HSM is read while its variables stay set',
      { timeout: 120_000 },
      async () => {
        const token = await hsm.initToken(`kms-${kind}`);
        await token.createKey('leaving');
        const onHsm = await startOutageServices(url, token.env('leaving'));
        let values: Map<string, string>;
        try {
          values = await createSecrets(onHsm, 'ws-hsm-to-kms', 'H2K', 6);
        } finally {
          await onHsm.close();
        }
        const key = kms.createKey();
        const { STRONGROOM_KEYRING: _pkcs11, ...hsmReader } = token.env('leaving');
        const env = { ...hsmReader, STRONGROOM_KEYRING: 'aws-kms', STRONGROOM_AWS_KMS_KEY_ID: key.id };
        const moved = await cliWith(['keys', 'rewrap'], env);
        expect(moved.code, moved.stderr).toBe(0);
        expect(moved.stdout).toMatch(new RegExp(`rewrapped \\d+ data key\\(s\\) to kms:${key.id}`));
        expect(Object.keys((await storedVersions(db)).counts)).toEqual([`kms:${key.id}`]);
        const after = await startOutageServices(url, {
          STRONGROOM_KEYRING: 'aws-kms',
          STRONGROOM_AWS_KMS_KEY_ID: key.id,
        });
        try {
          expect(await resolveAndCheck(after.runner, 'ws-hsm-to-kms', [...values.keys()], values)).toEqual(
            [],
          );
        } finally {
          await after.close();
        }
      },
    );

    it(
      'KMS unreachable: resolve UNAVAILABLE, API retryable, readiness 503; back, it serves without a restart',
      { timeout: 120_000 },
      async () => {
        const key = kms.createKey();
        const s = await startOutageServices(url, {
          STRONGROOM_KEYRING: 'aws-kms',
          STRONGROOM_AWS_KMS_KEY_ID: key.id,
        });
        try {
          const values = await createSecrets(s, 'ws-kms-outage', 'KOUT', 2);
          const bearer = await s.token('alice', 'ws-kms-outage');
          expect(await s.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 });
          await kms.stop();
          try {
            const failed = await s.runner.resolve({ context: manualRun('ws-kms-outage'), names: ['KOUT_1'] });
            expect(failed.error?.code).toBe(status.UNAVAILABLE);
            const created = await s.gql(bearer, CREATE, { i: { name: 'DURING', value: 'never-stored' } });
            expect(created.body.errors?.[0]?.extensions).toMatchObject({
              code: 'INTERNAL_SERVER_ERROR',
              retryable: true,
            });
            await waitFor(async () => {
              expect(await s.probes('/readyz')).toEqual({ api: 503, resolverOps: 503 });
            }, 10_000);
            expect(s.logLines.join('\n')).toMatch(/The key provider \(aws-kms\) is unavailable: /);
          } finally {
            await kms.restart();
          }
          await waitFor(async () => {
            expect(await s.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 });
          }, 10_000);
          expect(await resolveAndCheck(s.runner, 'ws-kms-outage', [...values.keys()], values)).toEqual([]);
        } finally {
          await s.close();
        }
      },
    );
  },
);
