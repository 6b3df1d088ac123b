import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { createExecCommand } from '../../services/cli/commands/exec.js';
import { openRemoteResolverClient } from '../../services/cli/commands/exec-remote-client.js';
import { loadConfig } from '../../services/core/config/config.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { startResolver, type StartedResolver } from '../../services/app/resolver-app.js';
import { DEV_RUNNER_URI } from '../../services/resolver/tls/dev-certificates.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { AuditEventEntity } from '../../services/storage/entities/audit-event-entity.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { createTestKeyring } from '../support/test-keyring.js';
import { seedSecret } from '../support/seed-secret.js';
import { nodeScript, runExec } from './cli-support.js';
import { openTestIntegrity } from '../support/integrity.js';

const VALUE = 'sk_remote_5e2f9a0c7b';
const JOURNEY_VALUE = 'pk_remote_91c4/d2+e8';

// The resolver runs in this process, as `strongroom start` wires it (dev certificates
// generated into a temporary data dir). One test spawns the real CLI from source
// against it (seconds: tsx compiles the whole CLI); the others run the same command
// in-process with a real child command.
describe.concurrent.each(DATABASE_KINDS)('strongroom exec against a real resolver on %s', (kind) => {
  let dir: string;
  let dataDir: string;
  let resolver: StartedResolver;
  let dataSource: DataSource;
  let closeDatabase: () => Promise<void>;
  const workspaceId = `ws-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strongroom-exec-remote-'));
    dataDir = join(dir, 'data');
    const db = await openMigratedDataSource(kind);
    ({ dataSource, close: closeDatabase } = db);
    const keyring = createTestKeyring();
    const cipher = createEnvelopeCipher({ keyring });
    const { stateTags, stateSealer } = await openTestIntegrity(dataSource, keyring);
    resolver = await startResolver({
      config: { ...loadConfig({ STRONGROOM_DATA_DIR: dataDir }), resolverPort: 0 },
      logger: pino({ level: 'silent' }),
      dataSource,
      cipher,
      stateTags,
      auditLog: await openAuditLog({ auditStore: createAuditStore({ dataSource }) }),
    });
    const secretStore = createSecretStore({ dataSource });
    await seedSecret({ secretStore, cipher, stateSealer }, { workspaceId, name: 'X', value: VALUE });
    await seedSecret(
      { secretStore, cipher, stateSealer },
      { workspaceId, name: 'payments-api-key', value: JOURNEY_VALUE },
    );
  });
  afterAll(async () => {
    await resolver?.close();
    await closeDatabase?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const runArgs = () => [
    '--names', 'X',
    '--workspace', workspaceId, '--workflow', 'wf-1', '--run', `run-${randomUUID().slice(0, 8)}`,
    '--trigger', 'MANUAL', '--triggered-by', 'u1',
  ]; // prettier-ignore
  const tls = (file: string) => join(dataDir, 'tls', file);

  // Spawned on both databases: a suite that reports a skipped test cannot be told apart
  // from one that lost coverage.
  it(
    'the spawned CLI injects the resolved value and masks it in the output (explicit flags)',
    { timeout: 60_000 },
    async () => {
      const written = join(dir, 'seen');
      const script = `require('fs').writeFileSync(process.argv[1], process.env.X); console.log(process.env.X)`;
      // prettier-ignore
      const flags = [
        '--resolver', `127.0.0.1:${resolver.port}`,
        '--ca', tls('ca.pem'), '--cert', tls('runner.pem'), '--key', tls('runner-key.pem'),
      ];
      // A data dir without certificates: only the flags can have supplied them.
      const result = await runExec([...runArgs(), ...flags, ...nodeScript(script, written)], {
        env: { STRONGROOM_DATA_DIR: join(dir, 'elsewhere') },
      });
      expect(result.stderr).not.toContain(VALUE);
      expect(result, result.stderr).toMatchObject({ code: 0, stdout: '***\n' });
      expect(readFileSync(written, 'utf8')).toBe(VALUE);

      const events = await dataSource.manager.find(AuditEventEntity, { where: { workspaceId } });
      expect(events.map((e) => [e.secretName, e.outcome, e.runner])).toContainEqual([
        'X',
        'SUCCESS',
        DEV_RUNNER_URI,
      ]);
    },
  );

  it('defaults to the dev certificates in <dataDir>/tls and reads the address from the environment', async () => {
    const result = await execInProcess([...runArgs(), ...nodeScript('console.log("x=" + process.env.X)')], {
      STRONGROOM_RESOLVER_ADDRESS: `localhost:${resolver.port}`,
    });
    expect(result).toMatchObject({ code: 0, stdout: 'x=***\n', err: [] });
  });

  it('exits 3 without starting the command when names are missing, listing them', async () => {
    const marker = join(dir, 'ran');
    const args = runArgs().map((arg) => (arg === 'X' ? 'X,ABSENT_ONE,ABSENT_TWO' : arg));
    const result = await execInProcess(
      [...args, ...nodeScript("require('fs').writeFileSync(process.argv[1], 'x')", marker)],
      { STRONGROOM_RESOLVER_ADDRESS: `localhost:${resolver.port}` },
    );
    expect(result.code).toBe(3);
    expect(result.err.join('\n')).toContain('2 secrets not found: ABSENT_ONE, ABSENT_TWO');
    expect(existsSync(marker)).toBe(false);
  });

  it('exits 3 naming the file when a default certificate is missing, and in production when none is given', async () => {
    const missing = await execInProcess([...runArgs(), '--', 'true'], {}, join(dir, 'no-certs-here'));
    expect(missing.code).toBe(3);
    expect(missing.err[0]).toContain(
      `cannot read the resolver CA certificate ${join(dir, 'no-certs-here', 'tls', 'ca.pem')}`,
    );
    const production = await execInProcess([...runArgs(), '--', 'true'], {}, dataDir, 'production');
    expect(production.code).toBe(3);
    expect(production.err[0]).toContain('a remote resolve needs --ca (or STRONGROOM_RESOLVER_CA)');
  });

  it('resolves the journey YAML of seed 000 (--template, --map) and gives the command no STRONGROOM_* or TLS path', async () => {
    const journey = join(dir, `journey-${kind}.yaml`);
    writeFileSync(journey, 'values:\n  api_key:\n    source: secret\n    name: payments-api-key\n');
    const written = join(dir, `journey-seen-${kind}`);
    const script = `require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))`;
    const args = runArgs().filter((arg) => arg !== '--names' && arg !== 'X');
    const result = await execInProcess(
      [...args, '--template', journey, '--map', 'API_KEY=payments-api-key', ...nodeScript(script, written)],
      {
        STRONGROOM_RESOLVER_ADDRESS: `localhost:${resolver.port}`,
        STRONGROOM_RUNNER_KEY: tls('runner-key.pem'),
      },
    );
    expect(result, result.err.join('\n')).toMatchObject({ code: 0, err: [] });
    const seen = JSON.parse(readFileSync(written, 'utf8')) as Record<string, string>;
    expect(seen.API_KEY).toBe(JOURNEY_VALUE);
    expect(Object.keys(seen).filter((key) => key.startsWith('STRONGROOM_'))).toEqual([]);
    expect(Object.values(seen).filter((value) => value.includes(dataDir))).toEqual([]);
  });

  /** `strongroom exec` as main.ts wires it, run in this process (a real child command, captured output). */
  async function execInProcess(
    args: string[],
    env: Record<string, string>,
    commandDataDir = dataDir,
    mode: 'development' | 'production' = 'development',
  ) {
    const stdout = new PassThrough();
    const collected = { stdout: '', err: [] as string[] };
    stdout.on('data', (chunk: Buffer) => (collected.stdout += chunk.toString()));
    const code = await createExecCommand({ createRemoteClient: openRemoteResolverClient, stdout })({
      config: { ...loadConfig({ STRONGROOM_DATA_DIR: commandDataDir }), mode },
      args,
      logger: pino({ level: 'silent' }),
      env: { PATH: process.env.PATH, ...env },
      out: () => {},
      err: (line) => collected.err.push(line),
    });
    await new Promise((resolve) => setImmediate(resolve));
    return { code, ...collected };
  }
});
