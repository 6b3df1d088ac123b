import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import type { ResolverLimits } from '../../services/resolver/resolver-server.js';
import { callUnary, createRawResolverClient } from '../resolver/support/resolver-client.js';
import { createResolverHarness, type ResolverHarness } from '../resolver/support/resolver-harness.js';
import { createTestPki, type TestPki } from '../resolver/support/test-pki.js';
import { DATABASE_KINDS, type DatabaseKind } from '../support/databases.js';
import { seedSecret } from '../support/seed-secret.js';
import {
  floodFromAnotherProcess,
  silentTcpClient,
  silentTlsClient,
  unfinishedStreamClient,
  type WatchedConnection,
} from './support/resolver-flood-clients.js';

// The production limits with the timers shortened so the test can watch them fire.
const LIMITS: Partial<ResolverLimits> = {
  handshakeTimeoutMs: 500,
  maxConnectionIdleMs: 800,
  maxConnectionAgeMs: 1_500,
  // Long enough for a good runner's call caught by the GOAWAY to finish on a loaded machine.
  maxConnectionAgeGraceMs: 2_000,
  maxConcurrentStreams: 8,
};
// Far below Node's 120 s handshake default and grpc-js's unlimited idle and age: closing
// within this shows the configured limit did it.
const CUT_WELL_BEFORE_MS = 10_000;
const VALUE = 'hardening-value-5f0c1e';

/** The first `count` valid secret names, shortest first: "A", "B", …, "AA", "AB", …. */
function shortestNames(count: number): string[] {
  const first = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
  const rest = `${first}0123456789-`;
  const names = [...first];
  for (let i = 0; names.length < count; i++) for (const c of rest) names.push(names[i] + c);
  return names.slice(0, count);
}

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

/**
 * A harness with GUARDED seeded, a resolver with LIMITS on it, and a good runner's
 * client; registers its own beforeAll/afterAll in the calling describe.
 */
function withLimitedResolver(kind: DatabaseKind) {
  const state = {} as {
    h: ResolverHarness;
    server: Awaited<ReturnType<ResolverHarness['startServer']>>;
    runner: ReturnType<ResolverHarness['client']>;
  };
  const workspaceId = `ws-${randomUUID().slice(0, 8)}`;
  const context = () => ({
    workspaceId,
    workflowId: 'wf',
    runId: `run-${randomUUID().slice(0, 8)}`,
    trigger: Trigger.MANUAL,
    triggeredBy: 'alice',
  });
  /** One resolve by a good runner: the value it got, or the gRPC status it failed with. */
  const goodResolve = async (runner = state.runner) => {
    const { response, error } = await runner.resolve(
      { context: context(), names: ['GUARDED'] },
      { deadlineMs: 10_000 },
    );
    return response?.secrets[0]?.value ?? `status ${error?.code}`;
  };
  /** Good resolves back to back until `done` settles; every answer is returned. */
  const resolveUntil = async (done: Promise<unknown>, runner = state.runner) => {
    let finished = false;
    void done.finally(() => (finished = true));
    const answers: string[] = [];
    do {
      answers.push(await goodResolve(runner));
      // A runner's pace, not a second flood: the resolver's own work stays small beside the attack.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (!finished);
    return answers;
  };
  /**
   * Opens the connections `open` pushes, then resolves as a good runner until the server
   * has closed every one of them: every answer must be the value, and every connection
   * must have been cut well before any default limit would have. The connections are
   * destroyed however it ends, including when opening one of them fails.
   */
  const expectCutWhileRunnersServed = async (
    open: (connections: WatchedConnection[]) => Promise<void> | void,
  ) => {
    const connections: WatchedConnection[] = [];
    try {
      await open(connections);
      const closed = Promise.all(connections.map((c) => c.closed));
      const answers = await resolveUntil(closed);
      expect(new Set(answers)).toEqual(new Set([VALUE]));
      for (const { openMs } of await closed) expect(openMs).toBeLessThan(CUT_WELL_BEFORE_MS);
    } finally {
      for (const c of connections) c.destroy();
    }
  };

  beforeAll(async () => {
    state.h = await createResolverHarness(kind, pki);
    await seedSecret(state.h, { workspaceId, name: 'GUARDED', value: VALUE });
    state.server = await state.h.startServer({ limits: LIMITS });
    state.runner = state.h.client(state.server.port);
  });
  afterAll(async () => {
    await state.h?.close(); // closes the runner's client and the server too
  });
  return { state, context, goodResolve, resolveUntil, expectCutWhileRunnersServed };
}

describe.each(DATABASE_KINDS)('resolver on %s: oversized requests', (kind) => {
  const { state, context, goodResolve } = withLimitedResolver(kind);

  it('refuses an 8 MB request with RESOURCE_EXHAUSTED before it reaches the handler, and keeps serving', async () => {
    const raw = createRawResolverClient(state.server.port, { caPem: pki.caPem, client: pki.runnerAlpha });
    const requestId = randomUUID();
    try {
      const { response, error } = await callUnary(raw, 'resolve', Buffer.alloc(8 * 1024 * 1024, 0x0a), {
        requestId,
      });
      expect(response).toBeUndefined();
      expect(error?.code).toBe(status.RESOURCE_EXHAUSTED);
    } finally {
      raw.close();
    }
    expect(await state.h.auditEvents(requestId)).toEqual([]);
    expect(await goodResolve()).toBe(VALUE);
  });

  it('refuses 10,000 names: long ones over the byte cap at the transport, short ones as one audited INVALID_ARGUMENT', async () => {
    const distinct = Array.from({ length: 10_000 }, (_, i) => `N${String(i).padStart(4, '0')}`);
    const overCap = randomUUID();
    const big = await state.runner.resolve({ context: context(), names: distinct }, { requestId: overCap });
    expect(big.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(await state.h.auditEvents(overCap)).toEqual([]);

    // The 10,000 shortest distinct valid names fit in 64 KiB, so the request reaches the count check.
    const underCap = randomUUID();
    const many = await state.runner.resolve(
      { context: context(), names: shortestNames(10_000) },
      { requestId: underCap },
    );
    expect(many.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(many.error?.metadata.get('invalid-field')).toEqual(['names']);
    const events = await state.h.auditEvents(underCap);
    expect(events.map((e) => [e.action, e.outcome, e.reason, e.secretName])).toEqual([
      ['secret.resolve', 'ERROR', 'INVALID_ARGUMENT: names', ''],
    ]);
    expect(await goodResolve()).toBe(VALUE);
  });
});

// These exercise the TLS and HTTP/2 layers, which are the same whatever the database; one
// database keeps the suite's time down.
describe('resolver on sqlite: slow clients and a certificate-less flood', () => {
  const { state, goodResolve, resolveUntil, expectCutWhileRunnersServed } = withLimitedResolver('sqlite');

  it('cuts TCP clients that never send a ClientHello after the handshake timeout; runners are served meanwhile', async () => {
    await expectCutWhileRunnersServed((connections) => {
      for (let i = 0; i < 20; i++) connections.push(silentTcpClient(state.server.port));
    });
  });

  it('closes a TLS connection that never speaks HTTP/2 and one whose stream never finishes', async () => {
    const tls = { caPem: pki.caPem, client: pki.runnerAlpha };
    await expectCutWhileRunnersServed(async (connections) => {
      connections.push(await silentTlsClient(state.server.port, tls));
      const unfinished = await unfinishedStreamClient(state.server.port, tls);
      connections.push(unfinished);
      expect(unfinished.maxConcurrentStreams).toBe(LIMITS.maxConcurrentStreams);
    });
  });

  it('refuses a flood of 200 connections without certificates; a runner resolves during and after it', async () => {
    // The production limits: here every refusal must come from the certificate check, not
    // from the short timers the other tests watch.
    const server = await state.h.startServer();
    const runner = state.h.client(server.port);
    try {
      const flood = floodFromAnotherProcess(server.port, pki.caPem, 200);
      const answers = await resolveUntil(flood, runner);
      const outcomes = await flood;
      expect(outcomes).toHaveLength(200);
      expect(outcomes.filter((o) => o.timedOut)).toEqual([]);
      expect(outcomes.filter((o) => o.appBytes > 0)).toEqual([]);
      expect(outcomes.filter((o) => o.error !== 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')).toEqual([]);
      expect(answers.length).toBeGreaterThan(0);
      expect(new Set(answers)).toEqual(new Set([VALUE]));
      expect(await goodResolve(runner)).toBe(VALUE);
    } finally {
      await server.close();
    }
  });
});
