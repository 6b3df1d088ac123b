import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register as globalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventInput, ChainedAuditEvent } from '../../services/core/audit/audit-event.js';
import { createMetrics } from '../../services/core/metrics/metrics.js';
import { metricsHttpHandler } from '../../services/core/metrics/metrics-http-handler.js';
import { readPoolStats } from '../../services/storage/pool-stats.js';
import { startRequestTimer } from '../../services/core/metrics/request-timer.js';
import { timeAuditWrites } from '../../services/core/metrics/timed-audit-log.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';

describe('createMetrics', () => {
  it('builds a private registry with default process metrics and every Strongroom metric', async () => {
    const metrics = createMetrics();
    expect(metrics.registry).not.toBe(globalRegistry);
    const text = await metrics.registry.metrics();
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'strongroom_requests_total',
      'strongroom_request_duration_seconds',
      'strongroom_resolves_total',
      'strongroom_audit_write_duration_seconds',
      'strongroom_db_pool_connections',
      'strongroom_candidate_reads_total',
      'strongroom_candidate_stale_reads_total',
      'strongroom_candidate_cache_bytes',
      'strongroom_tls_refusals_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    // Two in one process do not collide (prom-client throws on a duplicate name in one registry).
    expect(() => createMetrics()).not.toThrow();
  });

  it('records requests once per timer, with their labels and latency', async () => {
    const metrics = createMetrics();
    const end = startRequestTimer(metrics, { service: 'resolver', operation: 'Resolve' });
    end('OK');
    end('CANCELLED'); // ignored: a request ends once
    startRequestTimer(metrics, { service: 'api', operation: 'createSecret' })('FORBIDDEN');
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'strongroom_requests_total{service="resolver",operation="Resolve",outcome="OK"} 1',
    );
    expect(text).not.toContain('outcome="CANCELLED"');
    expect(text).toContain(
      'strongroom_request_duration_seconds_count{service="api",operation="createSecret",outcome="FORBIDDEN"} 1',
    );
    expect(text).toMatch(
      /strongroom_request_duration_seconds_bucket\{le="\+Inf",service="resolver",operation="Resolve",outcome="OK"\} 1/,
    );
  });

  it('times audit appends, failed ones too, and passes the rest of the log through', async () => {
    const metrics = createMetrics();
    let fail = false;
    const log = {
      chainId: 'c1',
      appendCommitted: async (_inputs: AuditEventInput[]): Promise<ChainedAuditEvent[]> => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail) throw new Error('database down');
        return [];
      },
    };
    const timed = timeAuditWrites(log, metrics);
    expect(timed.chainId).toBe('c1');
    await timed.appendCommitted([]);
    fail = true;
    await expect(timed.appendCommitted([])).rejects.toThrow('database down');
    const [histogram] = (await metrics.auditWriteDuration.get()).values.filter(
      (v) => v.metricName === 'strongroom_audit_write_duration_seconds_count',
    );
    expect(histogram?.value).toBe(2);
    const sum = (await metrics.auditWriteDuration.get()).values.find(
      (v) => v.metricName === 'strongroom_audit_write_duration_seconds_sum',
    );
    expect(sum?.value).toBeGreaterThanOrEqual(0.008);
  });

  it('reads the pool gauge at scrape time and omits it when there is nothing to read', async () => {
    let stats: { used: number; idle: number } | undefined = { used: 3, idle: 7 };
    const metrics = createMetrics({ readPoolStats: () => stats });
    let text = await metrics.registry.metrics();
    expect(text).toContain('strongroom_db_pool_connections{state="used"} 3');
    expect(text).toContain('strongroom_db_pool_connections{state="idle"} 7');
    stats = { used: 1, idle: 9 };
    text = await metrics.registry.metrics();
    expect(text).toContain('strongroom_db_pool_connections{state="used"} 1');
    stats = undefined;
    expect(await createMetrics({ readPoolStats: () => stats }).registry.metrics()).not.toContain(
      'strongroom_db_pool_connections{',
    );
  });
});

describe.each(DATABASE_KINDS)('readPoolStats on %s', (kind) => {
  it('reports the real pool of a TypeORM data source', async () => {
    const db = await openMigratedDataSource(kind);
    try {
      await db.dataSource.query('SELECT 1');
      const stats = readPoolStats(db.dataSource);
      if (kind === 'sqlite') {
        expect(stats).toEqual({ used: 1, idle: 0 });
      } else {
        // mysql2 keeps the connection it just used, idle, in its pool.
        expect(stats?.idle).toBeGreaterThanOrEqual(1);
        expect(stats?.used).toBe(0);
      }
    } finally {
      await db.close();
    }
    expect(readPoolStats(db.dataSource)).toBeUndefined();
  });
});

describe('metricsHttpHandler', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const metrics = createMetrics();
    metrics.resolvesTotal.inc({ outcome: 'SUCCESS' }, 2);
    server = createServer((req, res) => void metricsHttpHandler(metrics.registry)(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (method: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path: '/metrics' }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }),
        );
      });
      req.on('error', reject).end();
    });

  it('serves the registry in the Prometheus text format', async () => {
    const { status, type, body } = await call('GET');
    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toContain('strongroom_resolves_total{outcome="SUCCESS"} 2');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    expect(await call('HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await call('POST')).status).toBe(405);
  });
});
