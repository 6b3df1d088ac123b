import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope, Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { SecretEntity } from '../../services/storage/entities/secret-entity.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { missingNamesTrailer } from './support/resolver-client.js';
import { createResolverHarness, type ResolverHarness } from './support/resolver-harness.js';
import { rotateSecret, seedSecret } from '../support/seed-secret.js';
import { createTestPki, RUNNER_ALPHA, type TestPki } from './support/test-pki.js';

const ws = () => `ws-${randomUUID().slice(0, 8)}`;
const run = (
  workspaceId: string,
  trigger: Trigger,
  extra: { triggeredBy?: string; workflowOwner?: string } = {},
) => ({
  workspaceId,
  workflowId: 'wf-1',
  runId: `run-${randomUUID().slice(0, 8)}`,
  trigger,
  triggeredBy: extra.triggeredBy ?? 'alice',
  workflowOwner: extra.workflowOwner ?? 'owen',
  stepId: 'step-1',
});

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(DATABASE_KINDS)('resolver on %s: resolution', (kind) => {
  let h: ResolverHarness;
  let port: number;
  let lastUsed: Awaited<ReturnType<ResolverHarness['startServer']>>['lastUsed'];

  beforeAll(async () => {
    h = await createResolverHarness(kind, pki);
    ({ port, lastUsed } = await h.startServer());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('resolves a seeded workspace secret and audits it, value-free, before answering', async () => {
    const workspaceId = ws();
    const secret = await seedSecret(h, {
      workspaceId,
      name: 'STRIPE_KEY',
      value: 'sk_live_abcdefghijklmnop',
    });
    const requestId = randomUUID();
    const context = run(workspaceId, Trigger.API);
    const { response, error } = await h
      .client(port)
      .resolve({ context, names: ['STRIPE_KEY'] }, { requestId });
    expect(error).toBeUndefined();
    expect(response?.secrets).toEqual([
      expect.objectContaining({
        name: 'STRIPE_KEY',
        value: 'sk_live_abcdefghijklmnop',
        scope: Scope.WORKSPACE,
        version: 1,
      }),
    ]);
    const events = await h.auditEvents(requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'secret.resolve',
      outcome: 'SUCCESS',
      actorType: 'runner',
      runner: RUNNER_ALPHA,
      workspaceId,
      secretId: secret.id,
      secretName: 'STRIPE_KEY',
      scope: 'WORKSPACE',
      version: 1,
      workflowId: 'wf-1',
      runId: context.runId,
      trigger: 'API',
    });
    expect(JSON.stringify(events)).not.toContain('sk_live');

    await lastUsed.flush();
    const row = await h.dataSource.manager.findOneBy(SecretEntity, { id: secret.id });
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('returns the new value and version after a rotation', async () => {
    const workspaceId = ws();
    const secret = await seedSecret(h, { workspaceId, name: 'API_TOKEN', value: 'first-value' });
    const client = h.client(port);
    const before = await client.resolve({
      context: run(workspaceId, Trigger.SCHEDULE),
      names: ['API_TOKEN'],
    });
    expect(before.response?.secrets[0]).toMatchObject({ value: 'first-value', version: 1 });
    expect(await rotateSecret(h, secret, 'second-value')).toBe(2);
    const after = await client.resolve({ context: run(workspaceId, Trigger.SCHEDULE), names: ['API_TOKEN'] });
    expect(after.response?.secrets[0]).toMatchObject({ value: 'second-value', version: 2 });
  });

  it.each([
    [Trigger.MANUAL, 'alice'],
    [Trigger.API, 'owen'],
    [Trigger.WEBHOOK, 'owen'],
    [Trigger.SCHEDULE, 'owen'],
  ])('falls back to the personal secret of the principal (trigger %s → %s)', async (trigger, principal) => {
    const workspaceId = ws();
    await seedSecret(h, {
      workspaceId,
      name: 'MY_TOKEN',
      value: 'alice-token',
      scope: 'PERSONAL',
      ownerId: 'alice',
    });
    await seedSecret(h, {
      workspaceId,
      name: 'MY_TOKEN',
      value: 'owen-token',
      scope: 'PERSONAL',
      ownerId: 'owen',
    });
    const { response, error } = await h.client(port).resolve({
      context: run(workspaceId, trigger, { triggeredBy: 'alice', workflowOwner: 'owen' }),
      names: ['MY_TOKEN'],
    });
    expect(error).toBeUndefined();
    expect(response?.secrets[0]).toMatchObject({
      value: `${principal}-token`,
      scope: Scope.PERSONAL,
      version: 1,
    });
  });

  it('prefers the workspace secret over a personal one of the same name', async () => {
    const workspaceId = ws();
    await seedSecret(h, { workspaceId, name: 'SHARED', value: 'workspace-value' });
    await seedSecret(h, {
      workspaceId,
      name: 'SHARED',
      value: 'personal-value',
      scope: 'PERSONAL',
      ownerId: 'alice',
    });
    const { response } = await h
      .client(port)
      .resolve({ context: run(workspaceId, Trigger.MANUAL), names: ['SHARED'] });
    expect(response?.secrets[0]).toMatchObject({ value: 'workspace-value', scope: Scope.WORKSPACE });
  });

  it('does not resolve another workspace’s or another user’s secrets', async () => {
    const workspaceId = ws();
    await seedSecret(h, { workspaceId: ws(), name: 'ELSEWHERE', value: 'x-value' });
    await seedSecret(h, { workspaceId, name: 'BOBS', value: 'bob-value', scope: 'PERSONAL', ownerId: 'bob' });
    const { error } = await h
      .client(port)
      .resolve({ context: run(workspaceId, Trigger.MANUAL), names: ['ELSEWHERE', 'BOBS'] });
    expect(error?.code).toBe(status.NOT_FOUND);
    expect(missingNamesTrailer(error)).toEqual(['ELSEWHERE', 'BOBS']);
  });

  it('fails NOT_FOUND listing every missing name, returns nothing, and audits each name', async () => {
    const workspaceId = ws();
    await seedSecret(h, { workspaceId, name: 'PRESENT', value: 'present-value' });
    const requestId = randomUUID();
    const { response, error } = await h
      .client(port)
      .resolve(
        { context: run(workspaceId, Trigger.API), names: ['MISSING_A', 'PRESENT', 'missing-b'] },
        { requestId },
      );
    expect(response).toBeUndefined();
    expect(error?.code).toBe(status.NOT_FOUND);
    expect(error?.details).toContain('MISSING_A');
    expect(error?.details).toContain('missing-b');
    expect(error?.details).not.toContain('present-value');
    expect(missingNamesTrailer(error)).toEqual(['MISSING_A', 'missing-b']);
    const events = await h.auditEvents(requestId);
    expect(events.map((e) => [e.secretName, e.outcome])).toEqual([
      ['MISSING_A', 'NOT_FOUND'],
      ['PRESENT', 'ERROR'],
      ['missing-b', 'NOT_FOUND'],
    ]);
  });

  it('refuses a restricted secret to a non-member principal without falling back, and serves members', async () => {
    const workspaceId = ws();
    await seedSecret(h, { workspaceId, name: 'PAYROLL', value: 'payroll-value', members: ['mia'] });
    await seedSecret(h, {
      workspaceId,
      name: 'PAYROLL',
      value: 'alice-payroll',
      scope: 'PERSONAL',
      ownerId: 'alice',
    });
    const requestId = randomUUID();
    const refused = await h
      .client(port)
      .resolve(
        { context: run(workspaceId, Trigger.MANUAL, { triggeredBy: 'alice' }), names: ['PAYROLL'] },
        { requestId },
      );
    expect(refused.response).toBeUndefined();
    expect(refused.error?.code).toBe(status.PERMISSION_DENIED);
    expect((await h.auditEvents(requestId)).map((e) => [e.outcome, e.reason])).toEqual([
      ['DENIED', 'RESTRICTED_NOT_MEMBER'],
    ]);

    const allowed = await h
      .client(port)
      .resolve({ context: run(workspaceId, Trigger.WEBHOOK, { workflowOwner: 'mia' }), names: ['PAYROLL'] });
    expect(allowed.response?.secrets[0]).toMatchObject({ value: 'payroll-value', scope: Scope.WORKSPACE });
  });

  it.each([
    ['too many names', { names: Array.from({ length: 101 }, (_, i) => `N_${i}`) }, 'names'],
    ['an invalid name', { names: ['OK', 'not valid!'] }, 'names'],
    ['no names', { names: [] }, 'names'],
    ['an unspecified trigger', { trigger: Trigger.UNSPECIFIED }, 'trigger'],
    ['no workspace', { workspaceId: '' }, 'workspace_id'],
    ['a MANUAL run without triggered_by', { trigger: Trigger.MANUAL, triggeredBy: '' }, 'triggered_by'],
    ['an API run without workflow_owner', { trigger: Trigger.API, workflowOwner: '' }, 'workflow_owner'],
  ])('answers INVALID_ARGUMENT for %s', async (_label, patch, field) => {
    const { names = ['A_NAME'], ...contextPatch } = patch as { names?: string[] } & Record<string, unknown>;
    const context = { ...run(ws(), Trigger.API), ...contextPatch };
    const { response, error } = await h.client(port).resolve({ context, names });
    expect(response).toBeUndefined();
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.metadata.get('invalid-field')).toEqual([field]);
  });

  it('answers INVALID_ARGUMENT without a run context', async () => {
    const { error } = await h.client(port).resolve({ names: ['A_NAME'] });
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
  });
});
