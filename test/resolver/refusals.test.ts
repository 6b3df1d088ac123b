import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerPolicy } from '../../services/core/resolution/runner-policy.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { createResolverHarness, type ResolverHarness } from './support/resolver-harness.js';
import { seedSecret } from '../support/seed-secret.js';
import { createTestPki, RUNNER_ALPHA, RUNNER_BETA, type TestPki } from './support/test-pki.js';

const context = (workspaceId: string) => ({
  workspaceId,
  workflowId: 'wf-9',
  runId: `run-${randomUUID().slice(0, 8)}`,
  trigger: Trigger.API,
  triggeredBy: 'alice',
  workflowOwner: 'owen',
  stepId: 's',
});

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(DATABASE_KINDS)('resolver on %s: refusals', (kind) => {
  let h: ResolverHarness;
  let port: number;
  const workspaceId = `ws-${randomUUID().slice(0, 8)}`;
  const VALUE = 'refusal-test-value-0123456789';

  beforeAll(async () => {
    h = await createResolverHarness(kind, pki);
    ({ port } = await h.startServer());
    await seedSecret(h, { workspaceId, name: 'GUARDED', value: VALUE });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves a trusted runner (the baseline the refusals differ from)', async () => {
    const { response } = await h.client(port).resolve({ context: context(workspaceId), names: ['GUARDED'] });
    expect(response?.secrets[0]?.value).toBe(VALUE);
  });

  it.each([
    ['no client certificate', () => null],
    ['a certificate from another CA', () => pki.foreignRunner],
    ['an expired certificate', () => pki.expiredRunner],
  ])('refuses a client with %s at the TLS handshake', async (_label, certificate) => {
    const { response, error } = await h
      .client(port, certificate())
      .resolve({ context: context(workspaceId), names: ['GUARDED'] }, { deadlineMs: 3_000 });
    expect(response).toBeUndefined();
    expect(error?.code).toBe(status.UNAVAILABLE);
    expect(JSON.stringify(error)).not.toContain(VALUE);
  });

  it('refuses and audits a runner the policy does not allow for the workspace', async () => {
    const policy = createRunnerPolicy({ [RUNNER_ALPHA]: ['ws-other'], [RUNNER_BETA]: ['*'] });
    const { port: policed } = await h.startServer({ policy });
    const requestId = randomUUID();
    const refused = await h
      .client(policed, pki.runnerAlpha)
      .resolve({ context: context(workspaceId), names: ['GUARDED', 'OTHER'] }, { requestId });
    expect(refused.response).toBeUndefined();
    expect(refused.error?.code).toBe(status.PERMISSION_DENIED);
    const events = await h.auditEvents(requestId);
    expect(events.map((e) => [e.action, e.secretName, e.outcome, e.reason, e.runner])).toEqual([
      ['secret.resolve', 'GUARDED', 'DENIED', 'RUNNER_NOT_ALLOWED', RUNNER_ALPHA],
      ['secret.resolve', 'OTHER', 'DENIED', 'RUNNER_NOT_ALLOWED', RUNNER_ALPHA],
    ]);

    // A CN-only certificate is identified by its CN; "*" allows every workspace.
    const allowed = await h
      .client(policed, pki.runnerBeta)
      .resolve({ context: context(workspaceId), names: ['GUARDED'] });
    expect(allowed.response?.secrets[0]?.value).toBe(VALUE);
  });

  it('fails closed when the audit write throws: an error and no value', async () => {
    const failingAudit = {
      appendCommitted: async () => {
        throw new Error('disk full');
      },
    };
    const { port: failing } = await h.startServer({ auditLog: failingAudit });
    const { response, error } = await h
      .client(failing)
      .resolve({ context: context(workspaceId), names: ['GUARDED'] });
    expect(response).toBeUndefined();
    expect(error?.code).toBe(status.UNAVAILABLE);
    expect(error?.details).not.toContain('disk full');
    expect(JSON.stringify(error)).not.toContain(VALUE);
  });

  it('fails closed when the audit table is gone', async () => {
    // A separate database so dropping the table does not affect the other tests.
    const isolated = await createResolverHarness(kind, pki);
    try {
      const ws = 'ws-dropped';
      await seedSecret(isolated, { workspaceId: ws, name: 'GUARDED', value: VALUE });
      const { port: p } = await isolated.startServer();
      await isolated.dataSource.query('DROP TABLE audit_events');
      const { response, error } = await isolated
        .client(p)
        .resolve({ context: context(ws), names: ['GUARDED'] });
      expect(response).toBeUndefined();
      expect(error?.code).toBe(status.UNAVAILABLE);
    } finally {
      await isolated.close();
    }
  });

  it('answers UNAVAILABLE when the database cannot be reached', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    const downStore = {
      findCandidateSnapshots: async () => Promise.reject(refused),
    };
    const { port: down } = await h.startServer({ store: downStore });
    const { error } = await h.client(down).resolve({ context: context(workspaceId), names: ['GUARDED'] });
    expect(error?.code).toBe(status.UNAVAILABLE);
    expect(error?.details).not.toContain('3306');
  });

  it('sends nothing and records no success once the deadline has passed', async () => {
    const slowStore = {
      findCandidateSnapshots: async (...args: Parameters<typeof h.store.findCandidateSnapshots>) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return h.store.findCandidateSnapshots(...args);
      },
    };
    const { port: slow } = await h.startServer({ store: slowStore });
    const requestId = randomUUID();
    const { response, error } = await h
      .client(slow)
      .resolve({ context: context(workspaceId), names: ['GUARDED'] }, { requestId, deadlineMs: 150 });
    expect(response).toBeUndefined();
    expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await h.auditEvents(requestId)).filter((e) => e.outcome === 'SUCCESS')).toEqual([]);
  });
});
