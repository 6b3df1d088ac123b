import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookWorkerFor } from '../../services/app/webhook-app.js';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import type { OutageServices } from '../faults/support/outage-services.js';
import { startGaleraCluster, type GaleraCluster } from './support/galera-cluster.js';
import {
  causalQuery,
  createClusterServices,
  createSecret,
  rotate,
  runContext,
  sumStatus,
} from './support/cluster-services.js';

const WORKSPACE = 'ws-conflicts';
const WRITERS_PER_NODE = 3;
const ROTATIONS_PER_WRITER = 10;

/**
 * Writers on two nodes of a Galera cluster change the same rows at once. Galera lets
 * both run locally and certifies them at COMMIT: the second gets ER_LOCK_DEADLOCK (1213)
 * there, after its statements had all succeeded. Each such transaction is run again
 * whole (retryingTransaction), so every writer is answered OK, versions stay dense and
 * every change has exactly its audit record. The audit log's own writes (group commit,
 * chain heads, checkpoints) keep their guarantees across nodes.
 */
describe('certification conflicts on a three-node Galera cluster', () => {
  let cluster: GaleraCluster;
  let services: Awaited<ReturnType<typeof createClusterServices>>;
  let one: OutageServices;
  let two: OutageServices;

  beforeAll(async () => {
    cluster = await startGaleraCluster({ slot: 1 });
    services = await createClusterServices(cluster);
    one = await services.on(0);
    two = await services.on(1);
  }, 240_000);

  afterAll(async () => {
    await services?.close();
    await cluster?.destroy();
  }, 60_000);

  it('rotations of one secret from writers on two nodes all commit, each once, with its audit record', async () => {
    const bearerOne = await one.token('alice', WORKSPACE);
    const bearerTwo = await two.token('alice', WORKSPACE);
    const id = await createSecret(one, bearerOne, 'HOT_KEY', 'v1');
    const failuresBefore = await sumStatus(cluster, 'wsrep_local_cert_failures');
    const abortsBefore = await sumStatus(cluster, 'wsrep_local_bf_aborts');

    const outcomes: string[] = [];
    const writer = async (s: OutageServices, bearer: string, tag: string) => {
      for (let i = 0; i < ROTATIONS_PER_WRITER; i++) {
        outcomes.push((await rotate(s, bearer, id, `${tag}-${i}`)).outcome);
      }
    };
    await Promise.all([
      ...Array.from({ length: WRITERS_PER_NODE }, (_, w) => writer(one, bearerOne, `one-${w}`)),
      ...Array.from({ length: WRITERS_PER_NODE }, (_, w) => writer(two, bearerTwo, `two-${w}`)),
    ]);

    const total = 2 * WRITERS_PER_NODE * ROTATIONS_PER_WRITER;
    expect(outcomes.filter((o) => o !== 'OK')).toEqual([]);
    // The collisions were real: the cluster refused some commits at certification.
    const conflicts =
      (await sumStatus(cluster, 'wsrep_local_cert_failures')) -
      failuresBefore +
      (await sumStatus(cluster, 'wsrep_local_bf_aborts')) -
      abortsBefore;
    expect(conflicts).toBeGreaterThan(0);

    const [row] = await causalQuery<{ v: number }>(
      cluster,
      2,
      `SELECT current_version AS v FROM strongroom.secrets WHERE id = '${id}'`,
    );
    expect(Number(row!.v)).toBe(1 + total);
    const versions = await causalQuery<{ version: number }>(
      cluster,
      2,
      `SELECT version FROM strongroom.secret_versions WHERE secret_id = '${id}' ORDER BY version`,
    );
    expect(versions.map((v) => Number(v.version))).toEqual(
      Array.from({ length: 1 + total }, (_, i) => i + 1),
    );
    const audited = await causalQuery<{ version: number }>(
      cluster,
      2,
      `SELECT version FROM strongroom.audit_events
        WHERE secret_id = '${id}' AND action = 'secret.update_value' AND outcome = 'SUCCESS' ORDER BY version`,
    );
    expect(audited.map((v) => Number(v.version))).toEqual(Array.from({ length: total }, (_, i) => i + 2));

    // The value served is the newest on every node.
    const [newest] = await causalQuery<{ n: string }>(
      cluster,
      0,
      `SELECT COUNT(*) AS n FROM strongroom.secret_versions WHERE secret_id = '${id}'`,
    );
    expect(Number(newest!.n)).toBe(1 + total);
  }, 120_000);

  it('resolves on two nodes commit their audit batches without a single certification conflict (per-process chains)', async () => {
    const bearer = await one.token('alice', WORKSPACE);
    await createSecret(one, bearer, 'READ_ONLY_KEY', 'steady');
    const failuresBefore = await sumStatus(cluster, 'wsrep_local_cert_failures');
    const abortsBefore = await sumStatus(cluster, 'wsrep_local_bf_aborts');
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 === 0 ? one : two).runner.resolve({
          context: runContext(WORKSPACE, `run-chains-${i}`),
          names: ['READ_ONLY_KEY'],
        }),
      ),
    );
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results.every((r) => r.response!.secrets[0]!.value === 'steady')).toBe(true);
    expect((await sumStatus(cluster, 'wsrep_local_cert_failures')) - failuresBefore).toBe(0);
    expect((await sumStatus(cluster, 'wsrep_local_bf_aborts')) - abortsBefore).toBe(0);
  }, 60_000);

  it('checkpoints written at once from two nodes form one chain, and the log verifies against it', async () => {
    const writes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? one : two).runtime.checkpoints.write('command')),
    );
    expect(writes.filter((w) => w.status === 'rejected')).toEqual([]);
    const seqs = await causalQuery<{ seq: number }>(
      cluster,
      2,
      'SELECT seq FROM strongroom.audit_checkpoints ORDER BY seq',
    );
    expect(seqs.map((s) => Number(s.seq))).toEqual(seqs.map((_, i) => i + 1));
    const { publicKey } = await one.runtime.integrity.keys();
    const verified = await verifyAuditLog(two.runtime.auditStore, {
      checkpointStore: two.runtime.checkpointStore,
      publicKey,
    });
    expect(verified).toMatchObject({ ok: true });
  }, 60_000);

  it('two webhook workers on different nodes deliver each event once', async () => {
    const received: string[] = [];
    const receiver: Server = createServer((req, res) => {
      received.push(String(req.headers['webhook-id']));
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const bearerOne = await one.token('alice', 'ws-hooks');
      const bearerTwo = await two.token('alice', 'ws-hooks');
      const created = await one.gql(
        bearerOne,
        `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`,
        { i: { url, events: ['secret.rotated'], description: 'cluster' } },
      );
      expect(created.body.errors).toBeUndefined();
      const id = await createSecret(one, bearerOne, 'HOOKED', 'v1');
      // Rotations committed on both nodes: their events enter the outbox on both.
      for (let i = 0; i < 10; i++) {
        expect((await rotate(one, bearerOne, id, `one-${i}`)).outcome).toBe('OK');
        expect((await rotate(two, bearerTwo, id, `two-${i}`)).outcome).toBe('OK');
      }
      const worker = (s: OutageServices) =>
        createWebhookWorkerFor(s.runtime, { onRound: async () => {}, batchSize: 3 });
      const drain = async (w: { runOnce(): Promise<number> }) => {
        for (let i = 0; i < 50 && (await w.runOnce()) > 0; i++);
      };
      const [a, b] = [worker(one), worker(two)];
      await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
      expect(received).toHaveLength(20);
      expect(new Set(received).size).toBe(20);
      const deliveries = await causalQuery<{ status: string; attempts: number }>(
        cluster,
        2,
        'SELECT status, attempts FROM strongroom.webhook_deliveries',
      );
      expect(deliveries.map((d) => [d.status, Number(d.attempts)])).toEqual(
        Array.from({ length: 20 }, () => ['delivered', 1]),
      );
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  }, 120_000);
});
