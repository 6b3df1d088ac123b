import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, parse, validate } from 'graphql';
import { SCHEMA_DIR } from '../../services/api/api-server.js';
import { loadTypeDefs } from '../../services/api/graphql-server.js';
import {
  DEFAULT_OPERATION_LIMITS,
  operationLimitsRule,
} from '../../services/api/hardening/operation-limits.js';
import { httpGetThrough } from '../support/http-get.js';
import { outcomeOf, startApi, type ApiHarness } from './api-harness.js';
import { SECRET_FIELDS } from '../support/graphql-documents.js';

describe('production GraphQL hardening (over HTTP)', () => {
  let api: ApiHarness;
  let admin: string;

  beforeAll(async () => {
    api = await startApi('sqlite', { production: true });
    admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
  });
  afterAll(() => api?.close());

  const auth = () => ({ authorization: `Bearer ${admin}` });

  it('refuses introspection', async () => {
    const r = await api.gql(admin, '{ __schema { types { name } } }');
    expect(outcomeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.body.data).toBeUndefined();
  });

  it('refuses over-deep queries (rule applied to the real schema with a tight limit)', () => {
    const schema = buildSchema(loadTypeDefs(SCHEMA_DIR).join('\n'));
    const rule = operationLimitsRule({ ...DEFAULT_OPERATION_LIMITS, maxDepth: 4 });
    const shallow = validate(schema, parse('{ secrets { totalCount } }'), [rule]);
    expect(shallow).toEqual([]);
    const deep = validate(schema, parse('{ secrets { edges { node { members { userId } } } } }'), [rule]);
    expect(deep.map((e) => e.message)).toEqual(['The operation is 5 levels deep; at most 4 are allowed.']);
    // Fragments count where they are spread.
    const viaFragment = validate(
      schema,
      parse('{ secrets { edges { ...E } } } fragment E on SecretEdge { node { members { role } } }'),
      [rule],
    );
    expect(viaFragment).toHaveLength(1);
  });

  it('refuses alias floods and too many root fields', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: secret(id: "x") { id }`).join(' ');
    const r = await api.gql(admin, `{ ${aliases} }`);
    expect(outcomeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.body.errors!.map((e) => e.message).join(' ')).toMatch(/root fields|aliases/);
  });

  it('refuses over-costly queries', async () => {
    const list = (alias: string) =>
      `${alias}: secrets(first: 100) { edges { cursor node { ${SECRET_FIELDS} } } }`;
    const r = await api.gql(admin, `{ ${list('a')} ${list('b')} ${list('c')} }`);
    expect(outcomeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.body.errors![0]!.message).toMatch(/estimated cost/);
    expect(outcomeOf(await api.gql(admin, `{ ${list('a')} }`))).toBe('OK');
  });

  it('refuses batched operations', async () => {
    const r = await api.post(
      [{ query: '{ secrets { totalCount } }' }, { query: '{ secrets { totalCount } }' }],
      auth(),
    );
    expect(r.status).toBe(400);
  });

  it('refuses oversized documents and bodies before parsing', async () => {
    const big = `{ secrets { totalCount } } # ${'x'.repeat(40 * 1024)}`;
    const doc = await api.post({ query: big }, auth());
    expect(doc.status).toBe(413);
    const body = await api.post(
      { query: '{ secrets { totalCount } }', variables: { pad: 'x'.repeat(11 * 1024 * 1024) } },
      auth(),
    );
    expect(body.status).toBe(413);
  });

  it('keeps an idle keep-alive connection open past 5 s, so clients and proxies close it first', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const get = () => httpGetThrough(agent, Number(new URL(api.url).port), '/healthz');
      expect(await get()).toMatchObject({ status: 200, reused: false });
      // Node's default keep-alive timeout is 5 s; a request sent on a connection the
      // server is closing fails with "other side closed" (or a proxy's 502).
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await get()).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 20_000);

  it('keeps CSRF prevention on: a simple cross-site GET is refused', async () => {
    const r = await fetch(`${api.url}?query=${encodeURIComponent('{ secrets { totalCount } }')}`, {
      headers: auth(),
    });
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/CSRF|preflight/i);
  });

  it('hides schema details from client errors in production', async () => {
    const r = await api.gql(admin, '{ secretz { id } }');
    expect(outcomeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.text).not.toMatch(/Did you mean/);
  });
});
