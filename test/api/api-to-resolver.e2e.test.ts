import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolverClient } from '../../services/sdk/resolver-client.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startApi, type ApiHarness, startResolverBeside } from './api-harness.js';
import { UPDATE_SECRET_VALUE } from '../support/graphql-documents.js';

/** SPEC §1 end to end: a value written through GraphQL is what a runner receives over mTLS. */
describe.each(DATABASE_KINDS)('GraphQL write → gRPC resolve on %s', (kind) => {
  let api: ApiHarness;
  let beside: Awaited<ReturnType<typeof startResolverBeside>> | undefined;
  let client: ReturnType<typeof createResolverClient>;

  beforeAll(async () => {
    api = await startApi(kind);
    beside = await startResolverBeside(api);
    client = beside.client;
  });
  afterAll(async () => {
    await beside?.close();
    await api?.close();
  });

  it('resolves a value created through the API, and the rotated value on the very next call', async () => {
    const admin = await api.token({ sub: 'alice', wid: 'ws-e2e', role: 'admin' });
    const created = await api.gql(
      admin,
      `mutation { createSecret(input: {name: "E2E_KEY", value: "first-e2e-value"}) { id } }`,
    );
    const id = created.body.data!.createSecret.id;
    const context = {
      workspaceId: 'ws-e2e',
      workflowId: 'wf',
      runId: 'run-1',
      trigger: 'MANUAL' as const,
      triggeredBy: 'alice',
      workflowOwner: '',
      stepId: '',
    };
    expect(await client.resolve(context, ['E2E_KEY'])).toMatchObject([
      { name: 'E2E_KEY', value: 'first-e2e-value', scope: 'WORKSPACE', version: 1 },
    ]);
    await api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: 'second-e2e-value' } });
    expect(await client.resolve({ ...context, runId: 'run-2' }, ['E2E_KEY'])).toMatchObject([
      { value: 'second-e2e-value', version: 2 },
    ]);
    const resolves = (await api.dataSource.query(
      "SELECT version, run_id FROM audit_events WHERE action = 'secret.resolve' ORDER BY id",
    )) as Array<{ version: number; run_id: string }>;
    expect(resolves.map((r) => [Number(r.version), r.run_id])).toEqual([
      [1, 'run-1'],
      [2, 'run-2'],
    ]);
  });
});
