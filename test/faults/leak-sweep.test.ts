import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config/config.js';
import { loadKeyring } from '../../services/core/config/load-keyring.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { createResolverClient, type CallResult } from '../resolver/support/resolver-client.js';
import { createTestPki, RUNNER_ALPHA, type TestPki } from '../resolver/support/test-pki.js';
import { runCli } from '../support/cli.js';
import { DATABASE_KINDS, openMigratedDataSource, type DatabaseKind } from '../support/databases.js';
import { devToken } from '../support/dev-token.js';
import { databaseUrlOf } from './support/crash-database.js';
import { dumpEveryTable, sqliteFiles } from './support/leak-database-dump.js';
import { freePort, spawnCli, untilReady, type CliProcess } from '../support/cli-process.js';
import { canaryForms, findCanaries, newCanary, type Haystack } from './support/leak-search.js';
import {
  CREATE_SECRET,
  IMPORT_SECRETS,
  REGISTER_SYSTEM_SECRET,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';

const SECRET_FIELDS = 'id name displayName description scope systemManaged integration maskedPreview version';
const AUDIT = `{ auditEvents(first: 100) { edges { node { id action outcome actorId secretName runner requestId } } } }`;

/** Everything one sweep produced: the places to search, and what the authorised runner got. */
interface Sweep {
  canaries: string[];
  haystacks: Haystack[];
  tables: string[];
  authorised: CallResult<{ secrets: Array<{ name: string; value: string }> }>;
  execOut: { stdout: string; stderr: string };
  auditExport: string;
}

/**
 * The whole surface, as real processes: `strongroom api` and `strongroom resolver` on one
 * database with debug logging, driven over HTTP, mTLS gRPC and the CLI with canary
 * values; then every response, log line, error, metric and row is collected.
 */
async function sweep(kind: DatabaseKind, pki: TestPki, dir: string): Promise<Sweep> {
  const canaries = Array.from({ length: 20 }, newCanary);
  const [C_CREATE, C_ROTATE, C_IMPORT, C_SYSTEM] = canaries as [string, string, string, string];
  const haystacks: Haystack[] = [];
  const keep = (where: string, content: string | Buffer) => haystacks.push({ where, content });

  // Migrated up front (and keyed, below), so the two processes can start side by side.
  const { db, dataSource: migrator, close: dropDatabase } = await openMigratedDataSource(kind);
  await migrator.destroy();
  const dataDir = join(dir, 'data');
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  const tls = {
    STRONGROOM_TLS_CERT: file('server.pem', pki.server.certPem),
    STRONGROOM_TLS_KEY: file('server-key.pem', pki.server.keyPem),
    STRONGROOM_RUNNER_CA: file('ca.pem', pki.caPem),
  };
  // Runner alpha may resolve for ws1 only; beta is named by no rule.
  const policy = file('policy.json', JSON.stringify({ runners: { [RUNNER_ALPHA]: ['ws1'] } }));
  const [apiPort, grpcPort, opsPort] = [await freePort(), await freePort(), await freePort()];
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'development',
    STRONGROOM_LOG_LEVEL: 'debug',
    STRONGROOM_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrlOf(db.config),
    STRONGROOM_API_PORT: String(apiPort),
    STRONGROOM_RESOLVER_PORT: String(grpcPort),
    STRONGROOM_RESOLVER_METRICS_PORT: String(opsPort),
    STRONGROOM_RUNNER_POLICY: policy,
    ...tls,
  };
  for (const name of ['STRONGROOM_MASTER_KEYS', 'STRONGROOM_MASTER_KEYS_FILE', 'STRONGROOM_JWKS_URL'])
    delete env[name];

  const processes: Array<[string, CliProcess]> = [];
  const http = async (where: string, url: string, init?: RequestInit) => {
    const response = await fetch(url, init);
    const text = await response.text();
    keep(`${where}: response body`, text);
    keep(`${where}: response headers`, JSON.stringify([...response.headers]));
    return { status: response.status, text };
  };
  try {
    // Keyed up front, like the migration, so the two processes can start side by side.
    loadKeyring(loadConfig({ STRONGROOM_DATA_DIR: dataDir }), () => {});
    const api = spawnCli(['api'], env);
    processes.push(['api', api]);
    const resolver = spawnCli(['resolver'], env);
    processes.push(['resolver', resolver]);
    await Promise.all([untilReady(api, apiPort, 60_000), untilReady(resolver, opsPort, 60_000)]);

    const admin = await devToken(dataDir, { sub: 'alice', wid: 'ws1', role: 'admin' });
    const member = await devToken(dataDir, { sub: 'bob', wid: 'ws1', role: 'member' });
    const system = await devToken(dataDir, { sub: 'svc', wid: 'ws1', scope: 'secrets:system' });
    const auditor = await devToken(dataDir, { sub: 'audrey', wid: 'ws1', scope: 'audit:read' });
    let step = 0;
    const gql = async (
      bearer: string | undefined,
      query: string,
      variables: Record<string, unknown> = {},
    ) => {
      const { text } = await http(`graphql #${++step}`, `http://127.0.0.1:${apiPort}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return JSON.parse(text) as { data?: Record<string, any> | null; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any -- shapes vary per operation
    };

    // Every write path that takes a value.
    const created = await gql(admin, CREATE_SECRET, { i: { name: 'CANARY_KEY', value: C_CREATE } });
    const id = created.data?.createSecret?.id as string;
    expect(id).toBeTruthy();
    expect(
      (await gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: C_ROTATE } })).data?.updateSecretValue
        ?.version,
    ).toBe(2);
    expect(
      (
        await gql(admin, IMPORT_SECRETS, {
          i: { dotenv: `IMPORTED="${C_IMPORT}"\nexport PLAIN=not-a-canary\n` },
        })
      ).data,
    ).toEqual({ importSecrets: { created: 2, updated: 0, skipped: 0 } });
    expect(
      (
        await gql(system, REGISTER_SYSTEM_SECRET, {
          i: { integration: 'gh', name: 'SYS_CANARY', value: C_SYSTEM },
        })
      ).data,
    ).toBeTruthy();

    // Every query.
    expect(
      (await gql(admin, `query($id: ID!) { secret(id: $id) { ${SECRET_FIELDS} } }`, { id })).data?.secret,
    ).toBeTruthy();
    await gql(
      admin,
      `{ secrets(first: 50, filter: { includeSystemManaged: true }) { edges { node { ${SECRET_FIELDS} } } } }`,
    );
    expect((await gql(auditor, AUDIT)).data?.auditEvents?.edges?.length).toBeGreaterThan(3);
    expect(
      (await gql(auditor, '{ verifyAuditLog { ok checked firstBrokenId } }')).data?.verifyAuditLog?.ok,
    ).toBe(true);

    // Failing calls with a canary in the wrong place.
    let c = 4;
    const wrong = () => canaries[c++]!;
    await gql(admin, CREATE_SECRET, { i: { name: wrong(), value: 'value-of-a-misnamed-secret' } }); // as a name
    await gql(member, UPDATE_SECRET_VALUE, { i: { id, value: wrong() } }); // refused writer
    await gql(admin, CREATE_SECRET, { i: { name: 'CANARY_KEY', value: wrong() } }); // conflict
    await gql(admin, CREATE_SECRET, { i: { name: 'X', value: 12345, extra: wrong() } }); // invalid input
    await gql(
      admin,
      `mutation { createSecret(input: {name: "Y", value: "${wrong()}", scope: BOGUS}) { id } }`,
    );
    await gql(admin, IMPORT_SECRETS, { i: { dotenv: `GOOD=ok\nthis line is wrong ${wrong()}\n` } });
    await gql(wrong(), CREATE_SECRET, { i: { name: 'Z', value: 'z' } }); // as a bearer token
    await gql(admin, `query($id: ID!) { secret(id: $id) { id } }`, { id: wrong() }); // as an id
    await http('malformed JSON body', `http://127.0.0.1:${apiPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: `{"query": "mutation { createSecret(input: {name: \\"Q\\", value: \\"${wrong()}\\"}) { id } }"`,
    });
    const tooBig = wrong();
    await gql(admin, CREATE_SECRET, {
      i: { name: 'TOO_BIG', value: tooBig.repeat(Math.ceil(70_000 / tooBig.length)) },
    });
    const inUrl = encodeURIComponent(
      `mutation { createSecret(input: {name: "U", value: "${wrong()}"}) { id } }`,
    );
    await http('mutation over GET', `http://127.0.0.1:${apiPort}/graphql?query=${inUrl}`, {
      headers: { authorization: `Bearer ${admin}`, 'apollo-require-preflight': 'true' },
    });
    await http('unknown path', `http://127.0.0.1:${apiPort}/${encodeURIComponent(wrong())}`);

    // The resolver: an authorised runner, refused runners, and a canary where a name goes.
    const client = (cert: TestPki['runnerAlpha']) =>
      createResolverClient(grpcPort, { caPem: pki.caPem, client: cert });
    const context = (workspaceId: string) => ({
      workspaceId,
      workflowId: 'wf',
      runId: `run-${randomUUID().slice(0, 8)}`,
      trigger: Trigger.MANUAL,
      triggeredBy: 'alice',
    });
    const keepGrpcError = (where: string, error: ServiceError | undefined) => {
      expect(error).toBeDefined();
      keep(`${where}: gRPC message`, error!.message);
      keep(`${where}: gRPC details`, error!.details);
      keep(`${where}: gRPC metadata`, JSON.stringify((error!.metadata ?? new Metadata()).toJSON()));
      return error!.code;
    };
    const alpha = client(pki.runnerAlpha);
    const beta = client(pki.runnerBeta);
    const authorised = (await alpha.resolve({
      context: context('ws1'),
      names: ['CANARY_KEY', 'IMPORTED'],
    })) as Sweep['authorised'];
    expect(
      keepGrpcError(
        'beta for ws1',
        (await beta.resolve({ context: context('ws1'), names: ['CANARY_KEY'] })).error,
      ),
    ).toBe(status.PERMISSION_DENIED);
    expect(
      keepGrpcError(
        'alpha for ws2',
        (await alpha.resolve({ context: context('ws2'), names: ['CANARY_KEY'] })).error,
      ),
    ).toBe(status.PERMISSION_DENIED);
    expect(
      keepGrpcError(
        'canary as a name',
        (await alpha.resolve({ context: context('ws1'), names: [wrong()] })).error,
      ),
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      keepGrpcError(
        'missing name',
        (await alpha.resolve({ context: context('ws1'), names: ['CANARY_KEY', 'NOPE'] })).error,
      ),
    ).toBe(status.NOT_FOUND);
    alpha.close();
    beta.close();

    // strongroom exec: the child prints the value; its masked output must not hold it.
    const runnerFiles = {
      cert: file('runner.pem', pki.runnerAlpha.certPem),
      key: file('runner-key.pem', pki.runnerAlpha.keyPem),
    };
    const script = `const v = process.env.CANARY_KEY; console.log('value=' + v); console.error('again ' + v); console.log('sha=' + require('crypto').createHash('sha256').update(v).digest('hex'))`;
    // prettier-ignore
    const exec = (cert: string, key: string) => runCli([
      'exec', '--names', 'CANARY_KEY',
      '--workspace', 'ws1', '--workflow', 'wf', '--run', 'run-exec', '--trigger', 'MANUAL', '--triggered-by', 'alice',
      '--resolver', `127.0.0.1:${grpcPort}`, '--ca', tls.STRONGROOM_RUNNER_CA, '--cert', cert, '--key', key,
      '--', process.execPath, '-e', script,
    ], env);
    // prettier-ignore
    const [execOut, refusedExec, auditExport] = await Promise.all([
      exec(runnerFiles.cert, runnerFiles.key),
      // Runner beta has no policy rule: exec stops with 3 and never starts the child.
      exec(file('beta.pem', pki.runnerBeta.certPem), file('beta-key.pem', pki.runnerBeta.keyPem)).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (failed: { code: number; stdout: string; stderr: string }) => failed,
      ),
      runCli(['audit', 'export'], env),
    ]);
    keep('exec stdout', execOut.stdout);
    keep('exec stderr', execOut.stderr);
    keep('refused exec stdout', refusedExec.stdout);
    keep('refused exec stderr', refusedExec.stderr);
    expect(refusedExec.code).toBe(3);
    expect(refusedExec.stderr).toContain('may not resolve');
    keep('audit export stdout', auditExport.stdout);
    keep('audit export stderr', auditExport.stderr);

    // Operations endpoints of both services.
    for (const [name, port] of [
      ['api', apiPort],
      ['resolver ops', opsPort],
    ] as const)
      for (const path of ['/metrics', '/readyz', '/healthz'])
        expect((await http(`${name} ${path}`, `http://127.0.0.1:${port}${path}`)).status).toBe(200);

    if (db.sqlitePath)
      for (const h of sqliteFiles(db.sqlitePath)) keep(`${h.where} (while running)`, h.content);
    const stopping = processes.splice(0);
    const exits = await Promise.all(stopping.map(([, proc]) => proc.stop()));
    expect(exits).toEqual(stopping.map(() => ({ code: 0, signal: null })));
    for (const [name, proc] of stopping) {
      keep(`${name} stdout`, proc.stdout());
      keep(`${name} stderr (logs)`, proc.stderr());
    }
    // Debug lines were written: the sweep ran with everything a debugging operator would see.
    expect(stopping.map(([, proc]) => proc.stderr()).join('')).toContain('"level":20');
    const dump = await dumpEveryTable(db.config);
    haystacks.push(...dump.haystacks);
    if (db.sqlitePath) for (const h of sqliteFiles(db.sqlitePath)) keep(`${h.where} (stopped)`, h.content);
    return {
      canaries,
      haystacks,
      tables: dump.tables,
      authorised,
      execOut,
      auditExport: auditExport.stdout,
    };
  } finally {
    await Promise.all(processes.map(([, proc]) => proc.stop()));
    await dropDatabase();
  }
}

// Both sweeps run at once (most of their time is processes starting); each describe waits for its own.
const dirs: string[] = [];
const sweeps = new Map<DatabaseKind, Promise<Sweep>>();
beforeAll(async () => {
  const pki = await createTestPki();
  for (const kind of DATABASE_KINDS) {
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-leak-'));
    dirs.push(dir);
    const running = sweep(kind, pki, dir);
    running.catch(() => {}); // reported by the describe that awaits it
    sweeps.set(kind, running);
  }
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(DATABASE_KINDS)('leak sweep of the whole surface on %s', (kind) => {
  let result: Sweep;

  beforeAll(async () => {
    result = await sweeps.get(kind)!;
  }, 180_000);

  it('the authorised runner gets the current values: the one place a canary may appear', () => {
    const [, rotated, imported] = result.canaries;
    expect(result.authorised.error).toBeUndefined();
    expect(result.authorised.response?.secrets.map((s) => [s.name, s.value])).toEqual([
      ['CANARY_KEY', rotated],
      ['IMPORTED', imported],
    ]);
  });

  it('strongroom exec gave the child the value and masked it in what the child printed', () => {
    const rotated = result.canaries[1]!;
    const sha = createHash('sha256').update(rotated).digest('hex');
    expect(result.execOut.stdout).toContain(`sha=${sha}`);
    expect(result.execOut.stdout).toMatch(/value=\S/);
    expect(result.execOut.stderr).toMatch(/again \S/);
  });

  it('the sweep looked everywhere: logs, responses, gRPC errors, metrics, audit export, every table', () => {
    const places = result.haystacks.map((h) => h.where);
    for (const expected of [
      'api stderr (logs)',
      'resolver stderr (logs)',
      'api /metrics: response body',
      'resolver ops /metrics: response body',
      'exec stdout',
      'audit export stdout',
      'beta for ws1: gRPC message',
    ])
      expect(places).toContain(expected);
    expect(result.tables).toEqual(
      expect.arrayContaining(['secrets', 'secret_versions', 'audit_events', 'secret_members']),
    );
    expect(result.auditExport.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    if (kind === 'sqlite')
      expect(places.some((p) => p.startsWith('file ') && p.endsWith('-wal (while running)'))).toBe(true);
  });

  it('no canary, in any encoding, appears anywhere else', () => {
    expect(findCanaries(result.haystacks, result.canaries)).toEqual([]);
  });

  it('the search is not blind: it finds the canary in the authorised answer and each encoding planted in a log', () => {
    const rotated = result.canaries[1]!;
    const answer = { where: 'authorised answer', content: JSON.stringify(result.authorised.response) };
    expect(findCanaries([answer], result.canaries)).toEqual([
      'authorised answer: canary #1 as raw',
      'authorised answer: canary #2 as raw',
    ]);
    const logs = result.haystacks.find((h) => h.where === 'api stderr (logs)')!.content.toString();
    for (const { form, text } of canaryForms(rotated))
      expect(findCanaries([{ where: 'log', content: `${logs}{"msg":"x${text}x"}` }], [rotated])).toContain(
        `log: canary #0 as ${form}`,
      );
  });
});
