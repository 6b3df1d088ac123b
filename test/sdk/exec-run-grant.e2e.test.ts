import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startResolver, type StartedResolver } from '../../services/app/resolver-app.js';
import { createExecCommand } from '../../services/cli/commands/exec.js';
import { openRemoteResolverClient } from '../../services/cli/commands/exec-remote-client.js';
import { tokenCommand } from '../../services/cli/commands/token.js';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { loadConfig, type Config } from '../../services/core/config/config.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { AuditEventEntity } from '../../services/storage/entities/audit-event-entity.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { seedSecret } from '../support/seed-secret.js';
import { createTestKeyring } from '../support/test-keyring.js';
import { nodeScript } from './cli-support.js';
import { openTestIntegrity } from '../support/integrity.js';

const VALUE = 'sk_granted_7d1e0c4b2a';

/**
 * `strongroom token run` and `strongroom exec --run-grant` against a development
 * resolver that requires grants (SPEC §6.1): the grant the dev orchestrator signs is
 * what the resolver takes the run's context and principal from.
 */
describe.each(DATABASE_KINDS)('exec with a run grant against a resolver that requires one, on %s', (kind) => {
  let dir: string;
  let config: Config;
  let resolver: StartedResolver;
  let db: Awaited<ReturnType<typeof openMigratedDataSource>>;
  const workspaceId = `ws-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strongroom-exec-grant-'));
    config = {
      ...loadConfig({ STRONGROOM_DATA_DIR: join(dir, 'data'), STRONGROOM_RUN_GRANTS: 'required' }),
      resolverPort: 0,
    };
    db = await openMigratedDataSource(kind);
    const keyring = createTestKeyring();
    const cipher = createEnvelopeCipher({ keyring });
    const { stateTags, stateSealer } = await openTestIntegrity(db.dataSource, keyring);
    resolver = await startResolver({
      config,
      logger: pino({ level: 'silent' }),
      dataSource: db.dataSource,
      cipher,
      stateTags,
      auditLog: await openAuditLog({ auditStore: createAuditStore(db) }),
    });
    await seedSecret(
      { secretStore: createSecretStore(db), cipher, stateSealer },
      { workspaceId, name: 'X', value: VALUE },
    );
  });
  afterAll(async () => {
    await resolver?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `strongroom token run …`, as main.ts runs it: what it prints, or its exit code. */
  async function tokenRun(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await tokenCommand({
      config,
      args: ['run', ...args],
      logger: pino({ level: 'silent' }),
      env: {},
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out, err };
  }

  /** `strongroom exec …` as main.ts wires it, in this process, with a real child command. */
  async function exec(args: string[], env: Record<string, string> = {}) {
    const stdout = new PassThrough();
    const collected = { stdout: '', err: [] as string[] };
    stdout.on('data', (chunk: Buffer) => (collected.stdout += chunk.toString()));
    const code = await createExecCommand({ createRemoteClient: openRemoteResolverClient, stdout })({
      config,
      args,
      logger: pino({ level: 'silent' }),
      env: { PATH: process.env.PATH, STRONGROOM_RESOLVER_ADDRESS: `localhost:${resolver.port}`, ...env },
      out: () => {},
      err: (line) => collected.err.push(line),
    });
    await new Promise((resolve) => setImmediate(resolve));
    return { code, ...collected };
  }

  const grantFor = async (run: string, extra: string[] = []) => {
    const printed = await tokenRun([
      '--workspace', workspaceId, '--workflow', 'wf-g', '--run', run,
      '--trigger', 'MANUAL', '--triggered-by', 'alice', ...extra,
    ]); // prettier-ignore
    expect(printed).toMatchObject({ code: 0, err: [] });
    expect(printed.out).toHaveLength(1);
    return printed.out[0]!;
  };

  it('token run prints only a grant; exec --run-grant resolves with its context, recorded with its jti', async () => {
    const run = `run-${randomUUID().slice(0, 8)}`;
    const grant = await grantFor(run, ['--names', 'X']);
    expect(grant).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const result = await exec([
      '--run-grant',
      grant,
      '--step',
      'step-3',
      '--names',
      'X',
      ...nodeScript('console.log(process.env.X)'),
    ]);
    expect(result, result.err.join('\n')).toMatchObject({ code: 0, stdout: '***\n', err: [] });
    const [record] = await db.dataSource.manager.find(AuditEventEntity, { where: { runId: run } });
    const payload = JSON.parse(Buffer.from(grant.split('.')[1]!, 'base64url').toString()) as { jti: string };
    expect(record).toMatchObject({
      outcome: 'SUCCESS',
      workspaceId,
      principal: 'alice',
      triggeredBy: 'alice',
      stepId: 'step-3',
      grantId: payload.jti,
    });
  });

  it('takes the grant from STRONGROOM_RUN_GRANT and never passes it (or any STRONGROOM_* variable) to the command', async () => {
    const grant = await grantFor(`run-${randomUUID().slice(0, 8)}`);
    const seen = join(dir, `env-${kind}.json`);
    const script = `require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))`;
    const result = await exec(['--names', 'X', ...nodeScript(script, seen)], { STRONGROOM_RUN_GRANT: grant });
    expect(result, result.err.join('\n')).toMatchObject({ code: 0 });
    const env = JSON.parse(readFileSync(seen, 'utf8')) as Record<string, string>;
    expect(env.X).toBe(VALUE);
    expect(Object.keys(env).filter((key) => key.startsWith('STRONGROOM_'))).toEqual([]);
    expect(Object.values(env).filter((value) => value.includes(grant))).toEqual([]);
  });

  it('without a grant the resolver refuses, and the command is not started', async () => {
    const result = await exec([
      '--names', 'X', '--workspace', workspaceId, '--workflow', 'wf-g', '--run', 'run-no-grant',
      '--trigger', 'MANUAL', '--triggered-by', 'alice', '--', 'true',
    ]); // prettier-ignore
    expect(result.code).toBe(3);
    expect(result.err.join('\n')).toContain('A run grant is required');
  });

  it('refuses a flag that contradicts the grant before sending anything, and a grant for names it lacks', async () => {
    const grant = await grantFor(`run-${randomUUID().slice(0, 8)}`, ['--names', 'OTHER']);
    const contradicted = await exec([
      '--run-grant',
      grant,
      '--triggered-by',
      'mallory',
      '--names',
      'X',
      '--',
      'true',
    ]);
    expect(contradicted.code).toBe(2);
    expect(contradicted.err[0]).toContain("--triggered-by differs from the run grant's");
    const outside = await exec(['--run-grant', grant, '--names', 'X', '--', 'true']);
    expect(outside.code).toBe(3);
    expect(outside.err.join('\n')).toContain('The run grant does not allow: X');
  });

  it('token run refuses incomplete runs and production', async () => {
    expect((await tokenRun(['--workspace', 'w'])).code).toBe(2);
    const noPrincipal = await tokenRun([
      '--workspace',
      'w',
      '--workflow',
      'f',
      '--run',
      'r',
      '--trigger',
      'API',
    ]);
    expect(noPrincipal.err[0]).toContain('--workflow-owner is required for API runs');
    const production = await tokenCommand({
      config: { ...config, mode: 'production' },
      args: [
        'run',
        '--workspace',
        'w',
        '--workflow',
        'f',
        '--run',
        'r',
        '--trigger',
        'MANUAL',
        '--triggered-by',
        'a',
      ],
      logger: pino({ level: 'silent' }),
      env: {},
      out: () => {},
      err: () => {},
    });
    expect(production).toBe(2);
  });
});
