import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { AuditEventEntity } from '../../services/storage/entities/audit-event-entity.js';
import { postGraphQL } from '../api/api-harness.js';
import { createResolverClient } from '../resolver/support/resolver-client.js';
import { createTestPki, RUNNER_ALPHA } from '../resolver/support/test-pki.js';
import { openMigratedDataSource } from '../support/databases.js';
import { freePort, spawnCli, untilReady, type CliProcess } from '../support/cli-process.js';
import { devToken } from '../support/dev-token.js';
import { CREATE_SECRET, UPDATE_SECRET_VALUE } from '../support/graphql-documents.js';

const WS = 'ws-replicas';

/**
 * Two `strongroom api` and two `strongroom resolver` processes on one MariaDB database,
 * as a Deployment of each with two replicas would run them: every replica sees every
 * other's writes on its next call, and the audit log they write together verifies as one.
 */
describe('replicas: two API and two resolver processes on one MariaDB', () => {
  let database: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let dir: string;
  const processes: CliProcess[] = [];

  beforeAll(async () => {
    // The schema exists before the replicas start, as the migration job makes it in production.
    database = await openMigratedDataSource('mariadb');
    dir = mkdtempSync(join(tmpdir(), 'strongroom-replicas-'));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Four processes start at once (about a second each on an idle machine; far more when
  // other suites share the cores), hence the timeout.
  it(
    'a rotation through one replica is served by the others at once, and the audit log verifies as one',
    { timeout: 120_000 },
    async () => {
      const { db, dataSource } = database;
      if (db.config.kind !== 'mysql') throw new Error('expected a MariaDB database');

      // What every replica shares: the database, the master keys, the JWT key pair (in the
      // data dir), the resolver's certificate and runner CA, the runner policy.
      const pki = await createTestPki();
      const file = (name: string, text: string) => {
        writeFileSync(join(dir, name), text, { mode: 0o600 });
        return join(dir, name);
      };
      await devToken(dir, { sub: 'warm-up', wid: WS }); // creates the shared dev JWT key pair
      const shared = {
        DATABASE_URL: db.config.url,
        STRONGROOM_DATA_DIR: dir,
        STRONGROOM_MASTER_KEYS: JSON.stringify({
          activeKeyId: 'k1',
          keys: { k1: randomBytes(32).toString('base64') },
        }),
        STRONGROOM_TLS_CERT: file('server.pem', pki.server.certPem),
        STRONGROOM_TLS_KEY: file('server-key.pem', pki.server.keyPem),
        STRONGROOM_RUNNER_CA: file('runner-ca.pem', pki.caPem),
        STRONGROOM_RUNNER_POLICY: file('policy.json', JSON.stringify({ runners: { [RUNNER_ALPHA]: [WS] } })),
        STRONGROOM_LOG_LEVEL: 'info',
      };
      const [api1Port, api2Port, r1Port, r1Ops, r2Port, r2Ops] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
      const api = (port: number) => spawnCli(['api'], { ...shared, STRONGROOM_API_PORT: String(port) });
      const resolver = (port: number, ops: number) =>
        spawnCli(['resolver'], {
          ...shared,
          STRONGROOM_RESOLVER_PORT: String(port),
          STRONGROOM_RESOLVER_METRICS_PORT: String(ops),
        });
      processes.push(api(api1Port), api(api2Port), resolver(r1Port, r1Ops), resolver(r2Port, r2Ops));
      const readyPorts = [api1Port, api2Port, r1Ops, r2Ops];
      await Promise.all(processes.map((p, n) => untilReady(p, readyPorts[n]!, 75_000)));

      const token = await devToken(dir, { sub: 'alice', wid: WS, role: 'admin' });
      /** One GraphQL call to the API replica on `port`, as alice, tagged with `requestId`. */
      const gqlAsAlice = (
        port: number,
        requestId: string,
        query: string,
        variables: Record<string, unknown>,
      ) =>
        postGraphQL(`http://127.0.0.1:${port}/graphql`, JSON.stringify({ query, variables }), {
          authorization: `Bearer ${token}`,
          'x-request-id': requestId,
        });
      const tls = { caPem: pki.caPem, client: pki.runnerAlpha };
      const r1 = createResolverClient(r1Port, tls);
      const r2 = createResolverClient(r2Port, tls);
      const resolveVia = async (client: typeof r1, requestId: string) => {
        const context = { workspaceId: WS, trigger: Trigger.MANUAL, triggeredBy: 'alice', runId: requestId };
        const { response, error } = await client.resolve({ context, names: ['DB_PASSWORD'] }, { requestId });
        expect(error?.details).toBeUndefined();
        return response!.secrets[0]!.value;
      };

      try {
        const created = await gqlAsAlice(api1Port, 'api1-create', CREATE_SECRET, {
          i: { name: 'DB_PASSWORD', value: 'v1' },
        });
        expect(created.body.errors).toBeUndefined();
        const id = created.body.data!.createSecret.id as string;
        expect(await resolveVia(r2, 'r2-first')).toBe('v1');

        const rotated = await gqlAsAlice(api1Port, 'api1-rotate', UPDATE_SECRET_VALUE, {
          i: { id, value: 'v2' },
        });
        expect(rotated.body.data?.updateSecretValue).toMatchObject({ id, version: 2 });
        // The very next call on the other resolver replica already serves the new value.
        expect(await resolveVia(r2, 'r2-second')).toBe('v2');
        expect(await resolveVia(r1, 'r1-first')).toBe('v2');

        const again = await gqlAsAlice(api2Port, 'api2-rotate', UPDATE_SECRET_VALUE, {
          i: { id, value: 'v3' },
        });
        expect(again.body.data?.updateSecretValue).toMatchObject({ id, version: 3 });
        expect(await resolveVia(r1, 'r1-second')).toBe('v3');
        expect(await resolveVia(r2, 'r2-third')).toBe('v3');
      } finally {
        r1.close();
        r2.close();
      }

      // Every replica stops cleanly on SIGTERM (the API's drain on MariaDB, too).
      for (const p of processes) p.child.kill('SIGTERM');
      expect(await Promise.all(processes.map((p) => p.exited))).toEqual(
        processes.map(() => ({ code: 0, signal: null })),
      );

      // Each process logged exactly the requests it served, under the callers' ids.
      const served = (n: number, msg: string) =>
        processes[n]!.logLines()
          .filter((l) => l.msg === msg)
          .map((l) => l.requestId);
      expect([
        served(0, 'graphql request'),
        served(1, 'graphql request'),
        served(2, 'resolved'),
        served(3, 'resolved'),
      ]).toEqual([
        ['api1-create', 'api1-rotate'],
        ['api2-rotate'],
        ['r1-first', 'r1-second'],
        ['r2-first', 'r2-second', 'r2-third'],
      ]);

      // One log, written by four processes: one chain per process, every chain intact.
      // (verifyAuditLog is what `strongroom audit verify` runs; in process, it spares a fifth start-up.)
      const verification = await verifyAuditLog(createAuditStore({ dataSource }));
      expect(verification).toMatchObject({ ok: true, problem: null });

      const events = await dataSource.manager.findBy(AuditEventEntity, { workspaceId: WS });
      expect(verification.checked).toBeGreaterThanOrEqual(events.length);
      const chainOf = (requestId: string) => {
        const chains = new Set(events.filter((e) => e.requestId === requestId).map((e) => e.chainId));
        expect([requestId, chains.size]).toEqual([requestId, 1]);
        return [...chains][0]!;
      };
      const api1 = chainOf('api1-create');
      const api2 = chainOf('api2-rotate');
      const res1 = chainOf('r1-first');
      const res2 = chainOf('r2-first');
      // A process keeps one chain for everything it writes.
      expect([
        chainOf('api1-rotate'),
        chainOf('r1-second'),
        chainOf('r2-second'),
        chainOf('r2-third'),
      ]).toEqual([api1, res1, res2, res2]);
      expect(new Set([api1, api2, res1, res2]).size).toBe(4);
      expect(new Set(events.map((e) => e.chainId)).size).toBeGreaterThanOrEqual(4);
    },
  );
});
