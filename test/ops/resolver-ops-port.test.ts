import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { loadConfig } from '../../services/core/config/config.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { createMetrics } from '../../services/core/metrics/metrics.js';
import { readPoolStats } from '../../services/storage/pool-stats.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { createOpsHttpServer, type OpsHttpServer } from '../../services/resolver/ops-http-server.js';
import { startResolver, type StartedResolver } from '../../services/app/resolver-app.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { openMigratedDataSource } from '../support/databases.js';
import { createTestKeyring } from '../support/test-keyring.js';
import { createResolverClient } from '../resolver/support/resolver-client.js';
import { seedSecret } from '../support/seed-secret.js';
import { httpGet } from '../support/http-get.js';
import { waitFor } from '../support/cli-process.js';
import { openTestIntegrity } from '../support/integrity.js';

// The real wiring of `strongroom resolver` (startResolver + ops port) on SQLite, with dev TLS.
let dir: string;
let db: Awaited<ReturnType<typeof openMigratedDataSource>>;
let resolver: StartedResolver;
let ops: OpsHttpServer;
let opsPort: number;
let client: ReturnType<typeof createResolverClient>;
let cipher: ReturnType<typeof createEnvelopeCipher>;
let stateTags: Awaited<ReturnType<typeof openTestIntegrity>>['stateTags'];
let stateSealer: Awaited<ReturnType<typeof openTestIntegrity>>['stateSealer'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strongroom-ops-'));
  const config = { ...loadConfig({ STRONGROOM_DATA_DIR: dir }), resolverPort: 0 };
  db = await openMigratedDataSource('sqlite');
  const keyring = createTestKeyring();
  cipher = createEnvelopeCipher({ keyring });
  ({ stateTags, stateSealer } = await openTestIntegrity(db.dataSource, keyring));
  const auditLog = await openAuditLog({ auditStore: createAuditStore(db) });
  const metrics = createMetrics({ readPoolStats: () => readPoolStats(db.dataSource) });
  const logger = pino({ level: 'silent' });
  resolver = await startResolver({
    config,
    logger,
    dataSource: db.dataSource,
    cipher,
    stateTags,
    auditLog,
    metrics,
  });
  ops = createOpsHttpServer({ registry: metrics.registry, isReady: resolver.isReady, logger });
  opsPort = await ops.listen(0, '127.0.0.1');
  await seedSecret(
    { secretStore: createSecretStore(db), cipher, stateSealer },
    { workspaceId: 'w', name: 'A', value: 'a-value' },
  );
  const tls = join(dir, 'tls');
  client = createResolverClient(resolver.port, {
    caPem: readFileSync(join(tls, 'ca.pem'), 'utf8'),
    client: {
      certPem: readFileSync(join(tls, 'runner.pem'), 'utf8'),
      keyPem: readFileSync(join(tls, 'runner-key.pem'), 'utf8'),
    },
  });
});

afterAll(async () => {
  client?.close();
  await ops?.close();
  await resolver?.close(1_000);
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const context = { workspaceId: 'w', trigger: Trigger.MANUAL, triggeredBy: 'u', runId: 'r', workflowId: 'f' };

describe('the resolver ops port (plain HTTP)', () => {
  it('serves liveness and readiness', async () => {
    expect(await httpGet(opsPort, '/healthz')).toMatchObject({ status: 200 });
    const ready = await httpGet(opsPort, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', checks: { database: true } });
    expect((await httpGet(opsPort, '/nope')).status).toBe(404);
  });

  it('counts Resolve calls by status, resolved names by audit outcome, and audit write latency', async () => {
    expect((await client.resolve({ context, names: ['A'] })).response?.secrets).toHaveLength(1);
    expect((await client.resolve({ context, names: ['A', 'MISSING'] })).error?.code).toBe(5);
    const { status, body } = await httpGet(opsPort, '/metrics');
    expect(status).toBe(200);
    expect(body).toContain(
      'strongroom_requests_total{service="resolver",operation="Resolve",outcome="OK"} 1',
    );
    expect(body).toContain(
      'strongroom_requests_total{service="resolver",operation="Resolve",outcome="NOT_FOUND"} 1',
    );
    expect(body).toContain(
      'strongroom_request_duration_seconds_count{service="resolver",operation="Resolve",outcome="OK"} 1',
    );
    // Per name: A released once; in the refused call A is ERROR (not sent), MISSING is NOT_FOUND.
    expect(body).toContain('strongroom_resolves_total{outcome="SUCCESS"} 1');
    expect(body).toContain('strongroom_resolves_total{outcome="NOT_FOUND"} 1');
    expect(body).toContain('strongroom_resolves_total{outcome="ERROR"} 1');
    expect(body).toContain('strongroom_audit_write_duration_seconds_count 2');
    expect(body).toContain('strongroom_db_pool_connections{state="used"} 1');
    expect(body).toContain('process_resident_memory_bytes');
    // Nothing a resolve returned appears in the metrics.
    expect(body).not.toContain('a-value');
  });

  it('counts candidate reads by source, stale cached reads, and the cache size', async () => {
    const secretStore = createSecretStore(db);
    const counters = async () => {
      const { body } = await httpGet(opsPort, '/metrics');
      const value = (line: string) => Number(new RegExp(`^${line} (\\S+)$`, 'm').exec(body)?.[1] ?? 0);
      return {
        cache: value('strongroom_candidate_reads_total\\{source="cache"\\}'),
        lookup: value('strongroom_candidate_reads_total\\{source="lookup"\\}'),
        stale: value('strongroom_candidate_stale_reads_total'),
        bytes: value('strongroom_candidate_cache_bytes'),
      };
    };
    await seedSecret(
      { secretStore, cipher, stateSealer },
      { workspaceId: 'w-metrics', name: 'B', value: 'b-value' },
    );
    const metricsContext = { ...context, workspaceId: 'w-metrics' };
    const before = await counters();
    for (let i = 0; i < 2; i += 1) {
      expect(
        (await client.resolve({ context: metricsContext, names: ['B'] })).response?.secrets[0]?.value,
      ).toBe('b-value');
    }
    const kept = await counters();
    expect(kept.lookup - before.lookup).toBe(1);
    expect(kept.cache - before.cache).toBe(1);
    expect(kept.bytes).toBeGreaterThan(0);
    // Any write to the workspace makes the next cached read stale: decided again from a lookup.
    await db.dataSource.query(
      "UPDATE secrets SET current_version = current_version + 1 WHERE workspace_id = 'w-metrics'",
    );
    await db.dataSource.query(
      "UPDATE secrets SET current_version = current_version - 1 WHERE workspace_id = 'w-metrics'",
    );
    const third = await client.resolve({ context: metricsContext, names: ['B'] });
    expect(third.error).toBeUndefined();
    expect(third.response?.secrets[0]?.value).toBe('b-value');
    const after = await counters();
    expect(after.stale - kept.stale).toBe(1);
    expect(after.cache - kept.cache).toBe(1);
    expect(after.lookup - kept.lookup).toBe(1);
    const { body } = await httpGet(opsPort, '/metrics');
    expect(body).not.toContain('b-value');
  });

  it('counts connections refused at the TLS handshake by reason', async () => {
    const socket = connect({
      host: '127.0.0.1',
      port: resolver.port,
      servername: 'localhost',
      rejectUnauthorized: false,
    });
    const refused = await new Promise<string>((resolve) => {
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''));
      socket.once('data', () => resolve('served'));
    });
    expect(refused).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    await waitFor(async () => {
      const { body } = await httpGet(opsPort, '/metrics');
      expect(body).toContain('strongroom_tls_refusals_total{reason="no_certificate"} 1');
    }, 5_000);
  });

  it('is not served on the mTLS port', async () => {
    // Plain HTTP to the gRPC port is not even a TLS handshake: the connection fails.
    await expect(httpGet(resolver.port, '/metrics')).rejects.toThrow();
    await expect(httpGet(resolver.port, '/healthz')).rejects.toThrow();
  });

  it('reports unready while draining', async () => {
    ops.drain();
    const ready = await httpGet(opsPort, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'unready', draining: true });
    expect((await httpGet(opsPort, '/healthz')).status).toBe(200);
  });
});
