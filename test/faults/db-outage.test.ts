import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { isDatabaseUnavailable, toStorageError } from '../../services/storage/storage-errors.js';
import { toDomainError } from '../../services/core/errors/to-domain-error.js';
import { readPoolStats } from '../../services/storage/pool-stats.js';
import { createResolutionStore } from '../../services/storage/resolution-store.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { outcomeOf, type GraphQLResult } from '../api/api-harness.js';
import { spawnCli, waitFor } from '../support/cli-process.js';
import { createPrivateMariaDb, type PrivateMariaDb } from './support/private-mariadb.js';
import { startOutageServices, type OutageServices } from './support/outage-services.js';
import { CREATE_SECRET, UPDATE_SECRET_VALUE } from '../support/graphql-documents.js';

/**
 * Not a performance figure: an upper bound that tells "failed at once" from "hung until
 * some client gave up", generous enough for a loaded two-core machine.
 */
const FAIL_FAST_MS = 5_000;
/** How long the services may take to notice the database is back (pools reconnect on demand). */
const RECOVERY_MS = 15_000;
/** How long a CLI start-up may take before the test kills it (it should exit long before). */
const SPAWN_TIMEOUT_MS = 25_000;
/** createDataSource's default pool size. */
const POOL_SIZE = 10;
/** createDataSource's mysql2 connect timeout: how long opening a connection to a silent server lasts. */
const CONNECT_TIMEOUT_MS = 5_000;

const LIST = `query { secrets(first: 5) { edges { node { id name version } } } }`;

const valueOf = (name: string, version: number) => `value-of-${name}-v${version}`;
const runIn = (workspaceId: string) => ({
  workspaceId,
  workflowId: 'wf-outage',
  runId: `run-${Date.now()}`,
  trigger: Trigger.MANUAL,
  triggeredBy: 'alice',
  workflowOwner: '',
  stepId: '',
});

/** Opens all POOL_SIZE pooled connections at once; each is idle in the pool afterwards. */
async function openEveryPooledConnection(s: OutageServices): Promise<void> {
  await Promise.all(Array.from({ length: POOL_SIZE }, () => s.runtime.dataSource.query('SELECT SLEEP(0.2)')));
}

async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await call();
  return { result, ms: performance.now() - started };
}

/**
 * Writers creating and rotating secrets without pause, so that a database stopped
 * under them stops some of them mid-transaction. Every acknowledged write is kept.
 */
function startWriters(s: OutageServices, bearer: string, prefix: string, count = 4) {
  const acknowledged = new Map<string, number>();
  let succeeded = 0;
  let failed = 0;
  let stopped = false;
  let next = 0;
  const errors: GraphQLResult[] = [];
  const worker = async () => {
    while (!stopped) {
      const name = `${prefix}_${next++}`;
      const created = await s.gql(bearer, CREATE_SECRET, { i: { name, value: valueOf(name, 1) } });
      if (outcomeOf(created) !== 'OK') {
        failed++;
        errors.push(created);
        continue;
      }
      acknowledged.set(name, 1);
      const rotated = await s.gql(bearer, UPDATE_SECRET_VALUE, {
        i: { id: created.body.data!.createSecret.id, value: valueOf(name, 2) },
      });
      if (outcomeOf(rotated) !== 'OK') {
        failed++;
        errors.push(rotated);
        continue;
      }
      acknowledged.set(name, 2);
      succeeded++;
    }
  };
  const running = Array.from({ length: count }, () => worker());
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return {
    acknowledged,
    errors,
    untilSucceeded: (n: number) => until(() => succeeded >= n),
    untilFailed: (n: number) => until(() => failed >= n),
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}

function expectRetryableGraphQLError(result: GraphQLResult) {
  expect(result.status).toBe(200);
  expect(result.body.errors?.[0]?.extensions).toMatchObject({
    code: 'INTERNAL_SERVER_ERROR',
    retryable: true,
  });
  expect(result.body.errors?.[0]?.message).toBe('The service is temporarily unavailable; retry later.');
}

describe('database outage on a private MariaDB (API and mTLS resolver serving)', () => {
  let db: PrivateMariaDb;
  let s: OutageServices;

  beforeAll(async () => {
    db = await createPrivateMariaDb();
    await db.query('CREATE DATABASE strongroom CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
    s = await startOutageServices(db.url('strongroom'));
  });
  afterAll(async () => {
    await s?.close();
    await db?.destroy();
  });

  it.each(['clean', 'kill'] as const)(
    '%s stop: calls fail fast and retryable, readiness turns, no half-written secret, recovery without restart',
    async (mode) => {
      const workspaceId = `ws-outage-${mode}`;
      const bearer = await s.token('alice', workspaceId);

      // Serving.
      expect(outcomeOf(await s.gql(bearer, LIST))).toBe('OK');
      expect(await s.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 });
      const writers = startWriters(s, bearer, `W_${mode.toUpperCase()}`);
      await writers.untilSucceeded(8);

      // The database goes away under writes in flight.
      await db.stop(mode);
      await writers.untilFailed(4);
      await writers.stop();
      expect(writers.errors.length).toBeGreaterThan(0);
      for (const failed of writers.errors) expectRetryableGraphQLError(failed);

      const query = await timed(() => s.gql(bearer, LIST));
      expectRetryableGraphQLError(query.result);
      expect(query.ms).toBeLessThan(FAIL_FAST_MS);

      const mutation = await timed(() =>
        s.gql(bearer, CREATE_SECRET, { i: { name: 'DURING_OUTAGE', value: 'never-stored' } }),
      );
      expectRetryableGraphQLError(mutation.result);
      expect(mutation.ms).toBeLessThan(FAIL_FAST_MS);

      const resolve = await timed(() =>
        s.runner.resolve({ context: runIn(workspaceId), names: ['W_ANY'] }, { deadlineMs: 20_000 }),
      );
      expect(resolve.result.error?.code).toBe(status.UNAVAILABLE);
      expect(resolve.result.error?.details).toBe('The database is unavailable; retry later.');
      expect(resolve.ms).toBeLessThan(FAIL_FAST_MS);

      const readiness = await timed(() => s.probes('/readyz'));
      expect(readiness.result).toEqual({ api: 503, resolverOps: 503 });
      expect(readiness.ms).toBeLessThan(FAIL_FAST_MS);
      expect(await s.probes('/healthz')).toEqual({ api: 200, resolverOps: 200 });
      expect(s.logLines.join('')).not.toContain('never-stored');

      // The database comes back; the very same processes serve again.
      await db.start();
      await waitFor(async () => {
        expect(await s.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 });
      }, RECOVERY_MS);
      await waitFor(async () => {
        expect(outcomeOf(await s.gql(bearer, LIST))).toBe('OK');
      }, RECOVERY_MS);
      const after = await s.gql(bearer, CREATE_SECRET, { i: { name: 'AFTER', value: valueOf('AFTER', 1) } });
      expect(outcomeOf(after)).toBe('OK');

      // Nothing half-written: every version belongs to a secret, every secret's current
      // version exists, decrypts, and holds the value written for that version.
      const orphans = await db.query(
        `SELECT v.secret_id FROM secret_versions v LEFT JOIN secrets s ON s.id = v.secret_id WHERE s.id IS NULL`,
        'strongroom',
      );
      expect(orphans).toEqual([]);
      const dangling = await db.query(
        `SELECT s.name FROM secrets s LEFT JOIN secret_versions v
           ON v.secret_id = s.id AND v.version = s.current_version WHERE v.secret_id IS NULL`,
        'strongroom',
      );
      expect(dangling).toEqual([]);
      const stored = (await db.query(
        `SELECT name, current_version FROM secrets WHERE workspace_id = '${workspaceId}' ORDER BY name`,
        'strongroom',
      )) as Array<{ name: string; current_version: number }>;
      for (const [name, version] of writers.acknowledged) {
        const row = stored.find((r) => r.name === name);
        expect(row, `acknowledged ${name} v${version} survives`).toBeDefined();
        expect(row!.current_version).toBeGreaterThanOrEqual(version);
      }
      expect(stored.some((r) => r.name === 'DURING_OUTAGE')).toBe(false);
      const resolved = await s.runner.resolve({
        context: runIn(workspaceId),
        names: stored.map((r) => r.name),
      });
      expect(resolved.error).toBeUndefined();
      expect(resolved.response!.secrets.map((r) => [r.name, r.value])).toEqual(
        stored.map((r) => [r.name, valueOf(r.name, r.current_version)]),
      );
      // The audit trail commits with the change it records: one event per stored version, no more.
      const audited = (await db.query(
        `SELECT secret_name AS name, action, version FROM audit_events
          WHERE workspace_id = '${workspaceId}' AND outcome = 'SUCCESS'
            AND action IN ('secret.create', 'secret.update_value')
          ORDER BY secret_name, version`,
        'strongroom',
      )) as Array<{ name: string; action: string; version: number }>;
      expect(audited.map((e) => [e.name, e.action, Number(e.version)])).toEqual(
        stored.flatMap((r) =>
          Array.from({ length: r.current_version }, (_, i) => [
            r.name,
            i === 0 ? 'secret.create' : 'secret.update_value',
            i + 1,
          ]),
        ),
      );
      expect(await verifyAuditLog(s.runtime.auditStore)).toMatchObject({ ok: true });
    },
  );

  it('frozen server: probes answer 503 in time and clear the pool of silent connections, calls then fail instead of hanging, recovery on thaw', async () => {
    const bearer = await s.token('alice', 'ws-outage-frozen');
    // Every pooled connection open and idle: a frozen server leaves each of them silent.
    await openEveryPooledConnection(s);
    expect(readPoolStats(s.runtime.dataSource)).toEqual({ used: 0, idle: POOL_SIZE });

    await db.freeze();
    try {
      const probes = await timed(() => Promise.all(Array.from({ length: 12 }, () => s.probes('/readyz'))));
      for (const probe of probes.result) expect(probe).toEqual({ api: 503, resolverOps: 503 });
      expect(probes.ms).toBeLessThan(FAIL_FAST_MS);
      expect(await s.probes('/healthz')).toEqual({ api: 200, resolverOps: 200 });
      // Before, each timed-out ping kept a silent connection: twelve probes left all ten
      // stuck until the kernel gave up on the sockets, many minutes later.
      // (The resolver's lastUsedAt flush, every 30 s, may be holding one meanwhile.)
      const pool = readPoolStats(s.runtime.dataSource)!;
      expect(pool.idle).toBe(0);
      expect(pool.used).toBeLessThanOrEqual(1);

      // With no silent connection left to wait on, a call opens a new one and fails
      // retryable when the connect timeout gives up, instead of waiting on a silent socket.
      const query = await timed(() =>
        Promise.race([
          s.gql(bearer, LIST),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('the call hung on a frozen database')), 25_000),
          ),
        ]),
      );
      expectRetryableGraphQLError(query.result);
      expect(query.ms).toBeLessThan(CONNECT_TIMEOUT_MS + FAIL_FAST_MS);
    } finally {
      db.thaw();
    }
    await waitFor(async () => {
      expect(await s.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 });
      expect(outcomeOf(await s.gql(bearer, LIST))).toBe('OK');
    }, RECOVERY_MS);
  }, 60_000);

  it('frozen server under resolves: a statement past STRONGROOM_DB_STATEMENT_TIMEOUT_MS fails its calls UNAVAILABLE and leaves the pool, recovery on thaw', async () => {
    const timeoutMs = 1_500;
    // Services of their own, so the short timeout applies to this test alone.
    const r = await startOutageServices(
      db.url('strongroom'),
      { STRONGROOM_DB_STATEMENT_TIMEOUT_MS: String(timeoutMs) },
      { dataDir: s.dataDir },
    );
    try {
      const workspaceId = 'ws-outage-statement';
      const bearer = await r.token('alice', workspaceId);
      const created = await r.gql(bearer, CREATE_SECRET, {
        i: { name: 'FROZEN_KEY', value: valueOf('FROZEN_KEY', 1) },
      });
      expect(outcomeOf(created)).toBe('OK');
      const resolveKey = () =>
        r.runner.resolve({ context: runIn(workspaceId), names: ['FROZEN_KEY'] }, { deadlineMs: 20_000 });
      // Warm: the candidates are kept, so under the freeze the call's one statement is its audit batch.
      expect((await resolveKey()).response?.secrets.map((x) => x.value)).toEqual([valueOf('FROZEN_KEY', 1)]);

      await db.freeze();
      try {
        // The batch goes out on a pooled connection the frozen server never answers.
        const frozen = await timed(resolveKey);
        expect(frozen.result.error?.code).toBe(status.UNAVAILABLE);
        expect(frozen.result.error?.details).toBe(
          'The audit log could not be written, so nothing was resolved; retry later.',
        );
        expect(frozen.ms).toBeGreaterThanOrEqual(timeoutMs * 0.9);
        expect(frozen.ms).toBeLessThan(timeoutMs + FAIL_FAST_MS);
        // Its connection left the pool, and so did the idle ones, as silent as it was.
        expect(readPoolStats(r.runtime.dataSource)!.idle).toBe(0);
        // The next call is bounded too: the lane reads its chain head again on a new
        // connection, which the connect timeout bounds.
        const next = await timed(resolveKey);
        expect(next.result.error?.code).toBe(status.UNAVAILABLE);
        expect(next.ms).toBeLessThan(CONNECT_TIMEOUT_MS + FAIL_FAST_MS);
      } finally {
        db.thaw();
      }
      await waitFor(async () => {
        expect((await resolveKey()).response?.secrets.map((x) => x.value)).toEqual([
          valueOf('FROZEN_KEY', 1),
        ]);
      }, RECOVERY_MS);
      // Whatever the thawed server made of the abandoned batch, the chains still verify.
      expect(await verifyAuditLog(r.runtime.auditStore)).toMatchObject({ ok: true });
    } finally {
      await r.close();
    }
  }, 60_000);

  it('frozen server under a candidate lookup that must first prepare its statement: the timeout covers the prepare too', async () => {
    const timeoutMs = 1_500;
    const store = createResolutionStore({ dataSource: s.runtime.dataSource, statementTimeoutMs: timeoutMs });
    // Every pooled connection open and idle, so the lookup is handed one the frozen server never answers.
    await openEveryPooledConnection(s);
    // Eleven names (padded to sixteen): a statement text no connection has prepared yet.
    const names = Array.from({ length: 11 }, (_, i) => `NEVER_PREPARED_${i}`);
    await db.freeze();
    try {
      const lookup = await timed(() =>
        store.findCandidates('ws-outage-prepare', 'alice', names).then(
          () => undefined,
          (error: unknown) => error,
        ),
      );
      expect(isDatabaseUnavailable(lookup.result)).toBe(true);
      expect(lookup.ms).toBeGreaterThanOrEqual(timeoutMs * 0.9);
      expect(lookup.ms).toBeLessThan(timeoutMs + FAIL_FAST_MS);
      expect(readPoolStats(s.runtime.dataSource)!.idle).toBe(0);
    } finally {
      db.thaw();
    }
    await waitFor(async () => {
      expect(await store.findCandidates('ws-outage-prepare', 'alice', names)).toEqual([]);
    }, RECOVERY_MS);
  }, 60_000);

  it(
    'database down at start: api and resolver exit at once with a clear, credential-free error',
    async () => {
      await db.stop('clean');
      try {
        const url = db.url('strongroom').replace('mysql://root@', 'mysql://root:pw-canary-4e1f@');
        const started = await timed(() =>
          Promise.all([
            runServiceCli(['api'], { DATABASE_URL: url, STRONGROOM_API_PORT: '1' }),
            runServiceCli(['resolver'], {
              DATABASE_URL: url,
              STRONGROOM_RESOLVER_PORT: '1',
              STRONGROOM_RESOLVER_METRICS_PORT: '1',
            }),
          ]),
        );
        for (const run of started.result) {
          expect(run.exitCode).toBe(1);
          expect(run.stderr).toContain(
            `strongroom: cannot reach the database at 127.0.0.1:${db.port} (ECONNREFUSED); ` +
              'start it, or fix DATABASE_URL, then start again.',
          );
          expect(run.stderr).not.toContain('pw-canary-4e1f');
        }
        // Exits: a process that kept waiting would be killed by runServiceCli's timer.
        expect(started.ms).toBeLessThan(SPAWN_TIMEOUT_MS);
      } finally {
        await db.start();
      }
    },
    2 * SPAWN_TIMEOUT_MS,
  );
});

describe('isDatabaseUnavailable: what counts as an outage (pure logic)', () => {
  const driverError = (fields: Record<string, unknown>, message = 'driver error') =>
    Object.assign(new Error(message), fields);
  // TypeORM wraps driver errors in QueryFailedError under `driverError`.
  const queryFailed = (driver: Error) => Object.assign(new Error(driver.message), { driverError: driver });

  it.each([
    ['refused', driverError({ code: 'ECONNREFUSED' })],
    ['lost under a statement', queryFailed(driverError({ code: 'PROTOCOL_CONNECTION_LOST' }))],
    ['reset', queryFailed(driverError({ code: 'ECONNRESET' }))],
    ['connect timeout', driverError({ code: 'ETIMEDOUT' })],
    ['server shutting down', queryFailed(driverError({ code: 'ER_SERVER_SHUTDOWN', errno: 1053 }))],
    ['MariaDB connection killed', queryFailed(driverError({ errno: 1927, sqlState: '70100' }))],
    ['too many connections', driverError({ code: 'ER_CON_COUNT_ERROR' })],
    [
      'statement on a connection that just died',
      queryFailed(driverError({}, "Can't add new command when connection is in closed state")),
    ],
    ['unresolvable host for now', driverError({ code: 'EAI_AGAIN' })],
  ])('%s is UNAVAILABLE and retryable', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toStorageError(error)).toMatchObject({ kind: 'unavailable' });
    expect(toDomainError(error)).toMatchObject({ code: 'UNAVAILABLE', details: { retryable: true } });
  });

  it.each([
    ['duplicate key', queryFailed(driverError({ code: 'ER_DUP_ENTRY', errno: 1062 }))],
    ['access denied', driverError({ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045 })],
    ['a bug', new TypeError('x is undefined')],
  ])('%s is not an outage', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(toDomainError(error).code).toBe('INTERNAL');
  });
});

/** Runs a serving subcommand of the real CLI in development mode on a fresh data dir; never hangs the test. */
async function runServiceCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number | null; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'strongroom-outage-cli-'));
  const cli = spawnCli(args, { STRONGROOM_DATA_DIR: dataDir, ...env });
  const killer = setTimeout(() => void cli.kill(), SPAWN_TIMEOUT_MS);
  try {
    const { code } = await cli.exited;
    return { exitCode: code, stderr: cli.stderr() };
  } finally {
    clearTimeout(killer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
