import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../api/api-harness.js';

/**
 * The API's request metrics over real HTTP: series are named by the operation's kind
 * and root fields (bounded by the schema) and by outcome code, never by anything the
 * caller chose, such as its operationName.
 */
describe('API request metrics by operation and outcome', () => {
  let api: ApiHarness;
  let admin: string;
  let member: string;
  const CANARY = 'opname-canary-7f3a91';

  beforeAll(async () => {
    api = await startApi('sqlite');
    admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    member = await api.token({ sub: 'bob', wid: 'ws1', role: 'external' });
  });
  afterAll(() => api?.close());

  const scrape = async () => (await fetch(api.url.replace('/graphql', '/metrics'))).text();
  const count = (text: string, operation: string, outcome: string) =>
    Number(
      new RegExp(
        `^strongroom_requests_total\\{service="api",operation="${operation}",outcome="${outcome}"\\} (\\d+)$`,
        'm',
      ).exec(text)?.[1] ?? 0,
    );

  it('counts each request under its root fields and outcome', async () => {
    const before = await scrape();
    const created = await api.gql(
      admin,
      `mutation ${CANARY.replace(/-/g, '_')} { createSecret(input: {name: "METRIC_ONE", value: "v-0001"}) { id } }`,
    );
    expect(created.body.errors).toBeUndefined();
    const refused = await api.gql(
      member,
      `mutation { createSecret(input: {name: "METRIC_TWO", value: "v-0002"}) { id } }`,
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await api.gql(admin, `query { secrets { totalCount } secret(id: "nope") { id } }`);
    await api.gql(admin, `query { secrets { totalCount `);
    await api.post(
      { query: '{ secrets { totalCount } }', operationName: CANARY },
      { authorization: `Bearer ${admin}` },
    );

    const after = await scrape();
    const delta = (operation: string, outcome: string) =>
      count(after, operation, outcome) - count(before, operation, outcome);
    expect(delta('mutation createSecret', 'ok')).toBe(1);
    expect(delta('mutation createSecret', 'FORBIDDEN')).toBe(1);
    expect(delta('query secret,secrets', 'ok')).toBe(1);
    expect(delta('invalid', 'GRAPHQL_PARSE_FAILED')).toBe(1);
    expect(delta('invalid', 'OPERATION_RESOLUTION_FAILURE')).toBe(1);
    expect(after).not.toContain(CANARY);
    expect(after).not.toContain(CANARY.replace(/-/g, '_'));
    expect(api.logLines.join('\n')).not.toContain(CANARY.replace(/-/g, '_'));
  });
});
