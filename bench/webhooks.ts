import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runClosedLoop, type LoadResult } from './support/closed-loop.js';
import { startChild } from './support/child-process.js';
import type { BenchDatabase } from './support/database.js';
import { adminToken, createGraphqlClient } from './support/graphql-client.js';
import type { BenchKeys } from './support/keys.js';
import { figure, type Figure } from './support/report.js';
import { quantile } from './support/stats.js';
import { CLI, startApi, strongroomEnv } from './support/strongroom.js';

const WORKSPACE = 'ws-webhooks';
const IN_FLIGHT = 8;
const SECRETS = 64;
const ROTATIONS = 1_000;
const VALUE = 'x'.repeat(40);

const CREATE = `mutation ($input: CreateSecretInput!) { createSecret(input: $input) { id } }`;
const UPDATE = `mutation ($input: UpdateSecretValueInput!) { updateSecretValue(input: $input) { version } }`;
const ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { signingSecret } }`;

/** A receiver on loopback that answers 204 and notes when each event arrived, by its body's timestamp. */
async function startReceiver() {
  const arrivals: Array<{ occurredAt: number; arrivedAt: number }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrivedAt = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string };
      arrivals.push({ occurredAt: Date.parse(body.timestamp), arrivedAt });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    arrivals,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Creates the secrets rotations go round, and returns a closed-loop rotation call. */
async function rotationsOn(url: string, token: string) {
  const gql = createGraphqlClient(url, token);
  const ids: string[] = [];
  for (let i = 0; i < SECRETS; i++)
    ids.push(
      (await gql<{ createSecret: { id: string } }>(CREATE, { input: { name: `HOOK_${i}`, value: VALUE } }))
        .createSecret.id,
    );
  // Each in-flight worker rotates its own stride of secrets, so workers do not queue on one row lock.
  return (w: number, n: number) =>
    gql(UPDATE, { input: { id: ids[(n * IN_FLIGHT + w) % ids.length], value: `${VALUE}-${n}` } });
}

/**
 * SPEC §5.2 costs. Rotation throughput of `strongroom api` with change events on (one
 * endpoint subscribed, so each rotation writes its event and a delivery) against the
 * same API with STRONGROOM_CHANGE_EVENTS=off, in the same run: the floor is the API
 * without the outbox. Then outbox-to-delivery latency: 1,000 rotations while a
 * `strongroom webhooks` worker (default poll interval) delivers to a receiver on
 * loopback; latency is arrival time minus the event's timestamp (taken before commit).
 */
export async function benchWebhooks({
  db,
  keys,
  seconds,
}: {
  db: BenchDatabase;
  keys: BenchKeys;
  seconds: number;
}): Promise<{ figures: Figure[]; raw: Record<string, unknown> }> {
  const receiver = await startReceiver();
  const throughput: Record<'off' | 'on', LoadResult> = {} as never;
  try {
    for (const events of ['off', 'on'] as const) {
      await db.truncate();
      const base = strongroomEnv(db, keys, {
        STRONGROOM_CHANGE_EVENTS: events,
        STRONGROOM_LOG_LEVEL: 'warn',
      });
      const token = await adminToken(base.dataDir, WORKSPACE);
      const api = await startApi(base);
      try {
        const gql = createGraphqlClient(api.url, token);
        await gql(ENDPOINT, { input: { url: receiver.url, events: ['secret.rotated'] } });
        const rotate = await rotationsOn(api.url, token);
        await runClosedLoop('warm-up', rotate, { inFlight: IN_FLIGHT, seconds: Math.min(2, seconds) });
        throughput[events] = await runClosedLoop(`rotations, events ${events}`, rotate, {
          inFlight: IN_FLIGHT,
          seconds,
        });
      } finally {
        await api.child.stop();
      }
    }

    // Latency: a fresh database, the API and one delivery worker.
    await db.truncate();
    const base = strongroomEnv(db, keys, { STRONGROOM_LOG_LEVEL: 'warn' });
    const token = await adminToken(base.dataDir, WORKSPACE);
    const api = await startApi(base);
    const worker = startChild(CLI, ['webhooks'], { env: base.env, readyLine: /delivering/ });
    receiver.arrivals.length = 0;
    let sent = 0;
    try {
      await worker.ready;
      const gql = createGraphqlClient(api.url, token);
      await gql(ENDPOINT, { input: { url: receiver.url, events: ['secret.rotated'] } });
      const rotate = await rotationsOn(api.url, token);
      // 1,000 rotations, paced at 8 in flight.
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async (_, w) => {
          while (next < ROTATIONS) {
            const n = next++;
            await rotate(w, n);
            sent += 1;
          }
        }),
      );
      const until = Date.now() + 60_000;
      while (receiver.arrivals.length < ROTATIONS && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
      await api.child.stop();
    }
    const latencies = receiver.arrivals.map((a) => a.arrivedAt - a.occurredAt);
    const p50 = quantile(latencies, 0.5);
    const p99 = quantile(latencies, 0.99);
    const ratio = throughput.on.callsPerSecond / throughput.off.callsPerSecond;
    return {
      figures: [
        figure(
          {
            figure: `updateSecretValue @${IN_FLIGHT}, change events on (1 endpoint)`,
            unit: '/s',
            value: throughput.on.callsPerSecond,
            floor: { name: 'same, STRONGROOM_CHANGE_EVENTS=off', value: throughput.off.callsPerSecond },
            target: '≥ 0.8× events off',
          },
          (f) => (f.ratio ?? 0) >= 0.8,
        ),
        figure({
          figure: `outbox → delivery p50 (${receiver.arrivals.length}/${sent} rotations delivered)`,
          unit: 'ms',
          value: p50,
          note: 'one `strongroom webhooks` worker, default 500 ms poll, receiver on loopback',
        }),
        figure({ figure: 'outbox → delivery p99', unit: 'ms', value: p99 }),
      ],
      raw: { throughput, ratio, delivered: receiver.arrivals.length, sent, p50Ms: p50, p99Ms: p99 },
    };
  } finally {
    await receiver.close();
  }
}
