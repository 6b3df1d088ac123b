import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type GraphQLResult } from '../api/api-harness.js';
import { countRows } from '../support/databases.js';

/**
 * Document abuse that test/api/hardening.test.ts does not cover: each abusive request
 * is sent together with a normal query, which must still be answered (a refusal that
 * parsed or walked the whole thing would hold the event loop), and the refusal must
 * carry a code and none of the input. Parsing and validation involve no storage, so
 * one production API on SQLite serves them all.
 */
const CANARY = 'CANARY-abuse-5d0e8a13';
const NORMAL = '{ secrets { totalCount } }';

describe('GraphQL document abuse over HTTP (production API)', () => {
  let api: ApiHarness;
  let admin: string;

  beforeAll(async () => {
    api = await startApi('sqlite', { production: true });
    admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
  });
  afterAll(() => api?.close());

  const auth = () => ({ authorization: `Bearer ${admin}` });

  /** Sends `abuse` and a normal query at once; both answers come back. */
  async function alongsideNormal(abuse: () => Promise<GraphQLResult>) {
    const [refused, normal] = await Promise.all([abuse(), api.post({ query: NORMAL }, auth())]);
    expect(normal.body).toEqual({ data: { secrets: { totalCount: 0 } } });
    return refused;
  }

  /** A refusal: a 4xx status or a GraphQL error, always with a code, never data or the input. */
  function expectRefused(r: GraphQLResult, code: string, status: number) {
    expect(r.status).toBe(status);
    expect(r.body.data ?? undefined).toBeUndefined();
    expect(r.body.errors?.length).toBeGreaterThan(0);
    for (const error of r.body.errors ?? []) expect(error.extensions?.code).toBe(code);
    expect(r.text).not.toContain(CANARY);
    // Short: whatever was refused is not echoed back in bulk.
    expect(r.text.length).toBeLessThan(4096);
  }

  it('an unknown operationName is refused without echoing it', async () => {
    const operationName = `${CANARY}${'x'.repeat(2000)}`;
    const r = await alongsideNormal(() =>
      api.post({ query: 'query Known { secrets { totalCount } }', operationName }, auth()),
    );
    expectRefused(r, 'OPERATION_RESOLUTION_FAILURE', 400);
    expect(r.body.errors![0]!.message).toBe('Unknown operation named (redacted).');
  });

  it('a document over 32 KiB is refused before parsing (413)', async () => {
    const query = `{ secrets(after: "${CANARY}") { totalCount } ${'__typename '.repeat(4000)} }`;
    expectRefused(await alongsideNormal(() => api.post({ query }, auth())), 'BAD_REQUEST', 413);
  });

  it('nesting 5,000 levels deep is stopped by the parser token cap, not a stack overflow', async () => {
    const query = `{ secrets(after: "${CANARY}") ${'{ a '.repeat(5000)}${'} '.repeat(5000)}}`.replace(
      / /g,
      '',
    );
    expect(Buffer.byteLength(query)).toBeLessThan(32 * 1024);
    const r = await alongsideNormal(() => api.post({ query }, auth()));
    expectRefused(r, 'GRAPHQL_PARSE_FAILED', 400);
    expect(r.body.errors![0]!.message).toMatch(/more th(an|at) \d+ tokens/);
  });

  it('a document just over the depth limit is refused in validation', async () => {
    const query = `{ secrets(after: "${CANARY}") ${'{ edges '.repeat(11)}${'} '.repeat(11)}}`;
    const r = await alongsideNormal(() => api.post({ query }, auth()));
    expectRefused(r, 'GRAPHQL_VALIDATION_FAILED', 400);
    expect(r.body.errors!.map((e) => e.message)).toContain(
      'The operation is 12 levels deep; at most 10 are allowed.',
    );
  });

  it('10,000 aliases are refused by size; 2,500 packed under 32 KiB by the token cap', async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}:id`).join(' ');
    const tenThousand = `{ secrets(after: "${CANARY}") { edges { node { ${aliases(10_000)} } } } }`;
    expectRefused(await alongsideNormal(() => api.post({ query: tenThousand }, auth())), 'BAD_REQUEST', 413);
    const packed = `{ secrets(after: "${CANARY}") { edges { node { ${aliases(2500)} } } } }`;
    expect(Buffer.byteLength(packed)).toBeLessThan(32 * 1024);
    expectRefused(
      await alongsideNormal(() => api.post({ query: packed }, auth())),
      'GRAPHQL_PARSE_FAILED',
      400,
    );
  });

  it('a fragment cycle is refused in validation (and the limits rule does not loop on it)', async () => {
    const query = `query { ...A } fragment A on Query { secrets(after: "${CANARY}") { totalCount } ...B } fragment B on Query { ...A }`;
    expectRefused(await alongsideNormal(() => api.post({ query }, auth())), 'GRAPHQL_VALIDATION_FAILED', 400);
  });

  it('a fragment bomb (2^40 expansions in 2 KB) is refused on cost without expanding it', async () => {
    const levels = 40;
    const fragments = [`fragment F0 on Query { secrets(after: "${CANARY}") { totalCount } }`];
    for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    const query = `query { ...F${levels} } ${fragments.join(' ')}`;
    const r = await alongsideNormal(() => api.post({ query }, auth()));
    expectRefused(r, 'GRAPHQL_VALIDATION_FAILED', 400);
    expect(r.body.errors!.map((e) => e.message).join(' ')).toMatch(/estimated cost .* exceeds 5000/);
  });

  it('a directive flood is stopped by the token cap', async () => {
    const query = `{ secrets(after: "${CANARY}") ${'@skip(if:false)'.repeat(1500)} { totalCount } }`;
    expect(Buffer.byteLength(query)).toBeLessThan(32 * 1024);
    expectRefused(await alongsideNormal(() => api.post({ query }, auth())), 'GRAPHQL_PARSE_FAILED', 400);
  });

  it('thousands of declared variables are stopped by the token cap', async () => {
    const defs = Array.from({ length: 2500 }, (_, i) => `$v${i}:Int`).join(',');
    const query = `query(${defs}) { secrets(after: "${CANARY}") { totalCount } }`;
    expect(Buffer.byteLength(query)).toBeLessThan(32 * 1024);
    expectRefused(await alongsideNormal(() => api.post({ query }, auth())), 'GRAPHQL_PARSE_FAILED', 400);
  });

  it('a variables object of 100,000 undeclared keys is ignored, not refused, and costs nothing', async () => {
    const variables = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, CANARY]));
    const r = await alongsideNormal(() => api.post({ query: NORMAL, variables }, auth()));
    expect(r.body).toEqual({ data: { secrets: { totalCount: 0 } } });
  });

  it('a batch of 10,000 operations is refused (400) without running any', async () => {
    const batch = Array.from({ length: 10_000 }, () => ({
      query: `mutation { createSecret(input: { name: "B", value: "${CANARY}" }) { id } }`,
    }));
    expectRefused(await alongsideNormal(() => api.post(batch, auth())), 'BAD_REQUEST', 400);
    expect(await countRows(api.dataSource, 'SELECT COUNT(*) AS n FROM secrets')).toBe(0);
  });

  it('a 50 MiB body is refused at the body limit (413) and the API keeps serving', async () => {
    const body = JSON.stringify({
      query: NORMAL,
      variables: { pad: CANARY.repeat((50 * 1024 * 1024) / CANARY.length) },
    });
    expect(body.length).toBeGreaterThan(50 * 1024 * 1024);
    expectRefused(await alongsideNormal(() => api.post(body, auth())), 'BAD_REQUEST', 413);
    expect((await api.post({ query: NORMAL }, auth())).body.data).toEqual({ secrets: { totalCount: 0 } });
  });

  it('a persisted-query extension is refused as not supported, never an internal error', async () => {
    for (const persistedQuery of [{ version: 1, sha256Hash: CANARY }, { version: 2 }, CANARY]) {
      const r = await alongsideNormal(() =>
        api.post({ query: NORMAL, extensions: { persistedQuery } }, auth()),
      );
      expectRefused(r, 'PERSISTED_QUERY_NOT_SUPPORTED', 200);
    }
  });

  it('GET: a URL over the 16 KiB header limit is refused by Node (431); bad variables JSON is BAD_REQUEST', async () => {
    const get = (search: string) =>
      fetch(`${api.url}?query=${encodeURIComponent(NORMAL)}${search}`, {
        headers: { ...auth(), 'apollo-require-preflight': '1' },
      });
    const deep = encodeURIComponent('['.repeat(10_000) + ']'.repeat(10_000));
    expect((await get(`&variables=${deep}`)).status).toBe(431);
    const bad = await get(`&variables=${encodeURIComponent(`{"v":"${CANARY}`)}`);
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(JSON.parse(text)).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(text).not.toContain(CANARY);
    expect(await (await get('')).json()).toEqual({ data: { secrets: { totalCount: 0 } } });
  });

  it('no refused input reached a log line', () => {
    expect(api.logLines.length).toBeGreaterThan(0);
    expect(api.logLines.join('\n')).not.toContain(CANARY);
  });
});
