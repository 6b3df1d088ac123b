import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookWorkerFor } from '../../services/app/webhook-app.js';
import { createChangeOutbox } from '../../services/core/webhooks/change-outbox.js';
import { createLifecycleScheduler } from '../../services/core/webhooks/lifecycle-scheduler.js';
import { addressAllowed } from '../../services/core/webhooks/webhook-destination.js';
import { createWebhookStore } from '../../services/storage/webhook-store.js';
import { DATABASE_KINDS } from '../support/databases.js';
import {
  ADD_SECRET_MEMBER,
  CREATE_SECRET,
  DELETE_SECRET,
  IMPORT_SECRETS,
  RESTORE_SECRET_VERSION,
  UPDATE_SECRET,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';
import { outcomeOf, startApi, type ApiHarness } from './api-harness.js';

const WS = 'ws-hooks';
const CANARY = 'hook-canary-value-0123456789-TAIL';
const CREATE_ENDPOINT = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) {
  signingSecret endpoint { id url events enabled disabledReason } } }`;
const ENDPOINTS = `{ webhookEndpoints { id url events enabled disabledReason } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(endpointId: $id, first: 50) { edges { node {
  id eventId eventType status attempts lastStatusCode lastError } } } }`;
const SEND_TEST = `mutation($id: ID!) { sendTestWebhookEvent(endpointId: $id) { id eventType status } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhookEvent(deliveryId: $id) { id eventId status } }`;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback: answers with what `answer` says, and keeps every request. */
async function startReceiver(answer: (r: Received, nth: number) => number = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      res.statusCode = answer(r, received.length);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    url: `http://127.0.0.1:${port}/hook`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** SPEC §5.2 over real HTTP, with a real receiver on loopback. */
describe.each(DATABASE_KINDS)('change events and webhooks on %s', (kind) => {
  let api: ApiHarness;
  let admin: string;
  let member: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    api = await startApi(kind);
    admin = await api.token({ sub: 'alice', wid: WS, role: 'admin' });
    member = await api.token({ sub: 'bob', wid: WS, role: 'member' });
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await api?.close();
  });

  async function receiver(answer?: (r: Received, nth: number) => number): Promise<Receiver> {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  }

  async function endpoint(url: string, events: string[] = []) {
    const created = await api.gql(admin, CREATE_ENDPOINT, { i: { url, events, description: 'test' } });
    expect(created.body.errors).toBeUndefined();
    return created.body.data!.createWebhookEndpoint as {
      signingSecret: string;
      endpoint: { id: string; enabled: boolean };
    };
  }

  /** Runs worker rounds until one finds nothing due. */
  async function drain(worker: { runOnce(): Promise<number> }) {
    for (let i = 0; i < 50 && (await worker.runOnce()) > 0; i++);
  }

  const worker = (overrides: Parameters<typeof createWebhookWorkerFor>[1] = {}) =>
    createWebhookWorkerFor(api.runtime, {
      onRound: async () => {},
      retryScheduleMs: [150, 150, 150],
      ...overrides,
    });

  const scheduler = () => {
    const webhookStore = createWebhookStore({ dataSource: api.dataSource });
    return createLifecycleScheduler({
      webhookStore,
      outbox: createChangeOutbox({ webhookStore }),
      transaction: api.runtime.secretStore.transaction,
    });
  };

  const verify = (secret: string, r: Received) =>
    new Webhook(secret).verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    }) as { type: string; timestamp: string; data: Record<string, unknown> };

  it('only workspace admins manage endpoints; the signing secret is shown once and stored sealed', async () => {
    const r = await receiver();
    expect(outcomeOf(await api.gql(member, CREATE_ENDPOINT, { i: { url: r.url } }))).toBe('FORBIDDEN');
    expect(outcomeOf(await api.gql(admin, CREATE_ENDPOINT, { i: { url: 'ftp://x' } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(outcomeOf(await api.gql(admin, CREATE_ENDPOINT, { i: { url: r.url, events: ['nope'] } }))).toBe(
      'BAD_USER_INPUT',
    );
    const { signingSecret, endpoint: created } = await endpoint(r.url, ['secret.created']);
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await api.gql(admin, ENDPOINTS);
    expect(listed.body.data!.webhookEndpoints).toContainEqual(
      expect.objectContaining({ id: created.id, enabled: true, events: ['secret.created'] }),
    );
    expect(listed.text).not.toContain(signingSecret.slice(6));
    const rows = await api.dataSource.query('SELECT * FROM webhook_endpoints');
    expect(JSON.stringify(rows)).not.toContain(signingSecret.slice(6, 20));
    await api.gql(admin, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: created.id });
  });

  it('every event type arrives signed (standardwebhooks verifies), with no value or preview in it', async () => {
    const r = await receiver();
    const { signingSecret, endpoint: ep } = await endpoint(r.url);
    const w = worker();
    const created = await api.gql(admin, CREATE_SECRET, { i: { name: 'HOOKED', value: CANARY } });
    const id = created.body.data!.createSecret.id as string;
    await api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: `${CANARY}-2` } });
    await api.gql(admin, UPDATE_SECRET, { i: { id, description: 'described' } });
    await api.gql(admin, ADD_SECRET_MEMBER, { i: { secretId: id, userId: 'bob', role: 'MEMBER' } });
    await api.gql(admin, RESTORE_SECRET_VERSION, { i: { id, version: 1 } });
    await api.gql(admin, CREATE_SECRET, {
      i: { name: 'SOON', value: CANARY, expiresAt: new Date(Date.now() + 1_000).toISOString() },
    });
    await api.gql(admin, CREATE_SECRET, {
      i: { name: 'LATER', value: CANARY, expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
    });
    const due = await api.gql(admin, CREATE_SECRET, {
      i: { name: 'DUE', value: CANARY, rotationIntervalDays: 30 },
    });
    // A reminder decides nothing and is not in the state tag: the test may move it.
    await api.dataSource.query('UPDATE secrets SET rotation_due_at = created_at WHERE id = ?', [
      due.body.data!.createSecret.id,
    ]);
    // A personal secret publishes nothing to workspace endpoints.
    await api.gql(member, CREATE_SECRET, { i: { name: 'MINE', value: CANARY, scope: 'PERSONAL' } });
    await api.gql(admin, DELETE_SECRET, { id });
    await api.gql(admin, SEND_TEST, { id: ep.id });
    await sleep(1_100);
    expect(await scheduler().runOnce()).toBe(3);
    // Once per threshold: scanning again, or two scanners at once, publishes nothing more.
    expect(await Promise.all([scheduler().runOnce(), scheduler().runOnce()])).toEqual([0, 0]);
    await drain(w);

    const bodies = r.received.map((one) => verify(signingSecret, one));
    expect(bodies.map((b) => b.type).sort()).toEqual(
      [
        'secret.created',
        'secret.created',
        'secret.created',
        'secret.created',
        'secret.rotated',
        'secret.rotated',
        'secret.updated',
        'secret.members_changed',
        'secret.restored',
        'secret.deleted',
        'webhook.test',
        'secret.expired',
        'secret.expiring',
        'secret.rotation_due',
      ].sort(),
    );
    expect(bodies.find((b) => b.type === 'secret.restored')!.data).toMatchObject({
      workspaceId: WS,
      secretId: id,
      name: 'HOOKED',
      scope: 'WORKSPACE',
      version: 3,
      actorId: 'alice',
      restoredFrom: 1,
    });
    expect(bodies.find((b) => b.type === 'secret.expiring')!.data).toMatchObject({
      name: 'LATER',
      daysBefore: 7,
    });
    expect(bodies.some((b) => b.data.name === 'MINE')).toBe(false);
    const everything = r.received.map((one) => one.body + JSON.stringify(one.headers)).join('\n');
    expect(everything).not.toContain(CANARY.slice(0, 12));
    expect(everything).not.toContain('TAIL');
    expect(everything).not.toContain('••••');
    // A signature under another secret does not verify.
    expect(() => verify(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, r.received[0]!)).toThrow();
  });

  it('an import publishes its events in its transaction: all of them, or none when it fails', async () => {
    const before = Number(
      ((await api.dataSource.query('SELECT COUNT(*) AS n FROM webhook_events')) as Array<{ n: number }>)[0]!
        .n,
    );
    const failed = await api.gql(admin, IMPORT_SECRETS, { i: { dotenv: 'IMP_A=1\nIMP_B=2\nnot a line' } });
    expect(outcomeOf(failed)).toBe('BAD_USER_INPUT');
    const ok = await api.gql(admin, IMPORT_SECRETS, { i: { dotenv: 'IMP_A=1\nIMP_B=2\nIMP_C=3' } });
    expect(ok.body.data!.importSecrets.created).toBe(3);
    const conflict = await api.gql(admin, IMPORT_SECRETS, { i: { dotenv: 'IMP_D=4\nIMP_A=1' } });
    expect(outcomeOf(conflict)).toBe('CONFLICT');
    const types = (await api.dataSource.query(
      `SELECT type FROM webhook_events ORDER BY occurred_at DESC LIMIT 10`,
    )) as Array<{ type: string }>;
    const after = Number(
      ((await api.dataSource.query('SELECT COUNT(*) AS n FROM webhook_events')) as Array<{ n: number }>)[0]!
        .n,
    );
    expect(after - before).toBe(3);
    expect(types.slice(0, 3).map((t) => t.type)).toEqual([
      'secret.created',
      'secret.created',
      'secret.created',
    ]);
  });

  it('a receiver answering 500 gets the same event again; the attempts are recorded', async () => {
    const r = await receiver((_req, nth) => (nth === 1 ? 500 : 200));
    const { signingSecret, endpoint: ep } = await endpoint(r.url, ['secret.created']);
    await api.gql(admin, CREATE_SECRET, { i: { name: 'RETRIED', value: CANARY } });
    const w = worker({ retryScheduleMs: [600, 600, 600] });
    await drain(w);
    expect(r.received).toHaveLength(1);
    await sleep(800);
    await drain(w);
    expect(r.received).toHaveLength(2);
    expect(r.received[0]!.headers['webhook-id']).toBe(r.received[1]!.headers['webhook-id']);
    expect(verify(signingSecret, r.received[1]!).data.name).toBe('RETRIED');
    const deliveries = await api.gql(admin, DELIVERIES, { id: ep.id });
    const [delivery] = deliveries.body.data!.webhookDeliveries.edges.map((e: { node: unknown }) => e.node);
    expect(delivery).toMatchObject({
      status: 'DELIVERED',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
    });
    const attempts = (await api.dataSource.query(
      'SELECT status_code, error_class, response_excerpt FROM webhook_attempts WHERE delivery_id = ? ORDER BY id',
      [Number(delivery.id)],
    )) as Array<{ status_code: number; error_class: string | null; response_excerpt: string }>;
    expect(attempts.map((a) => [Number(a.status_code), a.error_class, a.response_excerpt])).toEqual([
      [500, 'HTTP_500', 'ok'],
      [200, null, 'ok'],
    ]);
    // Redelivery sends the event again under the same webhook-id.
    const again = await api.gql(admin, REDELIVER, { id: delivery.id });
    expect(again.body.data!.redeliverWebhookEvent).toMatchObject({
      status: 'PENDING',
      eventId: delivery.eventId,
    });
    await drain(w);
    expect(r.received).toHaveLength(3);
    expect(r.received[2]!.headers['webhook-id']).toBe(delivery.eventId);
    await api.gql(admin, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: ep.id });
  });

  it('410 disables the endpoint: nothing more is sent to it', async () => {
    const r = await receiver(() => 410);
    const { endpoint: ep } = await endpoint(r.url, ['secret.created']);
    await api.gql(admin, CREATE_SECRET, { i: { name: 'GONE_1', value: CANARY } });
    await drain(worker());
    expect(r.received).toHaveLength(1);
    const listed = await api.gql(admin, ENDPOINTS);
    expect(listed.body.data!.webhookEndpoints).toContainEqual(
      expect.objectContaining({ id: ep.id, enabled: false, disabledReason: 'gone' }),
    );
    await api.gql(admin, CREATE_SECRET, { i: { name: 'GONE_2', value: CANARY } });
    await drain(worker());
    expect(r.received).toHaveLength(1);
    await api.gql(admin, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: ep.id });
  });

  it('a loopback destination is refused at connect time without the development allowance, by name or address', async () => {
    const r = await receiver();
    const byAddress = await endpoint(r.url, ['secret.created']);
    const byName = await endpoint(`http://localhost:${r.port}/hook`, ['secret.created']);
    await api.gql(admin, CREATE_SECRET, { i: { name: 'REFUSED', value: CANARY } });
    const strict = worker({ policy: { allowedHosts: new Set(), allowLoopback: false } });
    await drain(strict);
    expect(r.received).toHaveLength(0);
    for (const ep of [byAddress, byName]) {
      const deliveries = await api.gql(admin, DELIVERIES, { id: ep.endpoint.id });
      expect(deliveries.body.data!.webhookDeliveries.edges[0].node).toMatchObject({
        status: 'PENDING',
        attempts: 1,
        lastStatusCode: null,
        lastError: 'ADDRESS_NOT_ALLOWED',
      });
    }
    // Listed in STRONGROOM_WEBHOOK_ALLOWED_HOSTS, it is allowed again.
    await sleep(200);
    await drain(
      worker({ policy: { allowedHosts: new Set(['127.0.0.1', 'localhost']), allowLoopback: false } }),
    );
    expect(r.received).toHaveLength(2);
    for (const ep of [byAddress, byName])
      await api.gql(admin, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: ep.endpoint.id });
  });

  it('two workers on one database deliver each event once', async () => {
    const r = await receiver();
    const { endpoint: ep } = await endpoint(r.url, ['secret.rotated']);
    const created = await api.gql(admin, CREATE_SECRET, { i: { name: 'MANY', value: CANARY } });
    const id = created.body.data!.createSecret.id as string;
    for (let i = 0; i < 20; i++)
      await api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: `${CANARY}-${i}` } });
    const [a, b] = [worker({ batchSize: 3 }), worker({ batchSize: 3 })];
    await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    const ids = r.received.map((one) => String(one.headers['webhook-id']));
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    await api.gql(admin, 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: ep.id });
  });
});

describe('webhook destination policy', () => {
  const strict = { allowedHosts: new Set<string>(), allowLoopback: false };
  it('refuses loopback, private, link-local, metadata and mapped forms; allows public addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00:ec2::254',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ])
      expect([address, addressAllowed(strict, 'example.test', address)]).toEqual([address, false]);
    expect(addressAllowed(strict, 'example.test', '93.184.216.34')).toBe(true);
    expect(addressAllowed({ ...strict, allowLoopback: true }, 'localhost', '127.0.0.1')).toBe(true);
    expect(addressAllowed({ ...strict, allowLoopback: true }, 'x', '10.0.0.1')).toBe(false);
    expect(
      addressAllowed({ ...strict, allowedHosts: new Set(['hooks.internal']) }, 'hooks.internal', '10.0.0.1'),
    ).toBe(true);
  });
});
