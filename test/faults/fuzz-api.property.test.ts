import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUtf8Strictly } from '../../services/api/hardening/strict-utf8.js';
import { DomainError } from '../../services/protocol/domain-error.js';
import { parseDotenvStrict } from '../../services/core/secrets/dotenv-import.js';
import { SECRET_NAME_PATTERN } from '../../services/protocol/secret-names.js';
import { extractSecretReferences } from '../../services/sdk/secret-references.js';
import { renderTemplate } from '../../services/sdk/render-template.js';
import { MissingTemplateValuesError } from '../../services/sdk/sdk-errors.js';
import { MAX_TEMPLATE_DEPTH } from '../../services/sdk/template-walk.js';
import { outcomeOf, postGraphQL, startApi, type ApiHarness, type GraphQLResult } from '../api/api-harness.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { hostileString, hostileVariable, toJsonText } from './support/hostile-arbitraries.js';
import { expectSafeAnswer, expectServing } from './support/hostile-invariants.js';
import {
  ADD_SECRET_MEMBER,
  CREATE_SECRET,
  IMPORT_SECRETS,
  REGISTER_SYSTEM_SECRET,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';

/** Sent only in value fields (secret values, .env values); must never come back or be logged. */
const CANARY = 'CANARY-fuzz-9a4c7e21-value';
/** A secret that is all digits, sent as a JSON number by a careless client. */
const CANARY_NUMBER = 918273645;
/** Runs per property: a few seconds per database, fresh inputs every run (fast-check prints the seed of a failure). */
const RUNS = 50;

/** Operations whose variables the shape fuzzer fills; between them they take every input type. */
const OPERATIONS = [
  CREATE_SECRET,
  IMPORT_SECRETS,
  UPDATE_SECRET_VALUE,
  REGISTER_SYSTEM_SECRET,
  ADD_SECRET_MEMBER,
  'query($n: [String!]!, $r: RunAsInput!) { checkSecretReferences(names: $n, runAs: $r) { missing } }',
  'query($f: SecretFilter, $first: Int, $after: String) { secrets(filter: $f, first: $first, after: $after) { totalCount } }',
  'query($id: ID!) { secret(id: $id) { id } }',
  'query($f: AuditFilter, $first: Int, $after: String) { auditEvents(filter: $f, first: $first, after: $after) { edges { cursor } } }',
];
/** The read fields that take a name (or a user id) from the caller, in one document. */
const NAME_FIELDS = `query($n: [String!]!, $r: RunAsInput!, $f: SecretFilter, $id: ID!, $after: String, $a: AuditFilter) {
  checkSecretReferences(names: $n, runAs: $r) { missing }
  secrets(filter: $f, after: $after) { totalCount }
  secret(id: $id) { id }
  auditEvents(filter: $a, after: $after) { edges { cursor } }
}`;
const VARIABLE_NAMES = ['i', 'n', 'r', 'f', 'first', 'after', 'id'];

describe.each(DATABASE_KINDS)('hostile input fuzzing over HTTP (%s)', (kind) => {
  let api: ApiHarness;
  /** Holds admin, member, system and audit powers at once, so refusals are about input, not permission. */
  let bearer: string;
  let heapBefore: number;

  beforeAll(async () => {
    api = await startApi(kind);
    bearer = await api.token({
      sub: 'fuzzer',
      wid: 'ws1',
      role: 'admin',
      scope: 'secrets:system audit:read',
    });
    heapBefore = process.memoryUsage().heapUsed;
  });
  afterAll(() => api?.close());

  const postRaw = (body: Uint8Array | string): Promise<GraphQLResult> =>
    postGraphQL(api.url, body, { authorization: `Bearer ${bearer}` });

  it('names: a secret is created exactly when the name is valid; any name is safe in every name field', async () => {
    const created = new Set<string>();
    await fc.assert(
      fc.asyncProperty(hostileString(), async (name) => {
        const r = await api.gql(bearer, CREATE_SECRET, { i: { name, value: CANARY } });
        expectSafeAnswer(r, CANARY);
        if (!SECRET_NAME_PATTERN.test(name)) {
          expect(outcomeOf(r)).toBe('BAD_USER_INPUT');
          expect(r.body.errors![0]!.extensions!.field).toBe('name');
        } else {
          expect(outcomeOf(r)).toBe(created.has(name) ? 'CONFLICT' : 'OK');
          created.add(name);
        }
        // Every other field that takes a name, user or integration id: the queries in one
        // request (each root field answers or fails alone), the system secret in another.
        const reads = await api.gql(bearer, NAME_FIELDS, {
          n: [name],
          r: { trigger: 'MANUAL', userId: name },
          f: { nameContains: name },
          id: name,
          after: name,
          a: { secretName: name, actorId: name, action: name },
        });
        expectSafeAnswer(reads, CANARY);
        // Any string is a String: the document always validates and every field runs.
        expect(reads.status).toBe(200);
        expectSafeAnswer(
          await api.gql(bearer, OPERATIONS[3]!, {
            i: { integration: name, name, value: CANARY, description: name },
          }),
          CANARY,
        );
        await expectServing(api.url);
      }),
      { numRuns: RUNS },
    );
  });

  it('.env text: refused exactly where the strict parser refuses, at the same line; never unsafe', async () => {
    const line = fc.oneof(
      hostileString(),
      fc
        .tuple(fc.constantFrom('', 'export '), fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), hostileString(4))
        .map(([prefix, key, value]) => `${prefix}${key}=${value}${CANARY}`),
      fc
        .tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.constantFrom('"', "'", '`'), hostileString(4))
        .map(([key, quote, value]) => `${key}=${quote}${CANARY}${value}${quote}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        async (lines, eol) => {
          const dotenv = lines.join(eol);
          let refusedAt: number | undefined | 'ok' = 'ok';
          try {
            parseDotenvStrict(dotenv);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            refusedAt = (error as DomainError).details.line;
          }
          const r = await api.gql(bearer, IMPORT_SECRETS, { i: { dotenv, onConflict: 'OVERWRITE' } });
          expectSafeAnswer(r, CANARY);
          if (refusedAt !== 'ok') {
            expect(outcomeOf(r)).toBe('BAD_USER_INPUT');
            expect(r.body.errors![0]!.extensions!.line).toBe(refusedAt);
          } else {
            // Parsed lines may still hold a value the service refuses (invalid UTF-8, too long).
            expect(['OK', 'BAD_USER_INPUT']).toContain(outcomeOf(r));
          }
          await expectServing(api.url);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('variables and extensions of any shape (wrong types, 10,000 levels deep, 100,000 items) are refused with a code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPERATIONS),
        fc.dictionary(fc.constantFrom(...VARIABLE_NAMES), hostileVariable(CANARY, CANARY_NUMBER), {
          maxKeys: 4,
        }),
        fc.option(
          fc.oneof(
            hostileVariable(CANARY, CANARY_NUMBER),
            fc.record({
              persistedQuery: fc.oneof(
                fc.jsonValue({ maxDepth: 2 }),
                fc.record({ version: fc.nat(3), sha256Hash: hostileString() }),
              ),
            }),
          ),
          { nil: undefined },
        ),
        async (query, variables, extensions) => {
          const body = `{"query":${JSON.stringify(query)},"variables":${toJsonText(variables)}${
            extensions === undefined ? '' : `,"extensions":${toJsonText(extensions)}`
          }}`;
          expectSafeAnswer(await postRaw(body), CANARY, String(CANARY_NUMBER));
          await expectServing(api.url);
        },
      ),
      {
        numRuns: RUNS,
        // Always tried: values in wrong types, which graphql-js quotes in its coercion messages.
        examples: [
          [CREATE_SECRET, { i: { name: 'PIN', value: CANARY_NUMBER } }, undefined],
          // More than graphql-js's 50 coercion errors: its "error limit reached" error has no code of its own.
          [OPERATIONS[5]!, { n: Array.from({ length: 100 }, () => null), r: { userId: 'u' } }, undefined],
          [CREATE_SECRET, { i: { name: 'LIST', value: [CANARY] } }, undefined],
          [CREATE_SECRET, { i: { name: 7, value: `${CANARY}; String cannot represent "x"` } }, undefined],
          [OPERATIONS[6]!, { first: { value: CANARY } }, undefined],
          [IMPORT_SECRETS, { i: { dotenv: `A=${CANARY}`, onConflict: CANARY } }, undefined],
          // Apollo answers a bad persisted-query extension with uncoded errors.
          [
            CREATE_SECRET,
            { i: { name: 'APQ', value: CANARY } },
            { persistedQuery: { version: 1, sha256Hash: 'x' } },
          ],
          [CREATE_SECRET, { i: { name: 'APQ', value: CANARY } }, { persistedQuery: { version: 2 } }],
        ],
      },
    );
  });

  it('document text of any shape (keywords, punctuation, literals) is answered with a code, never internally', async () => {
    // Dots make it no valid name, so a document that happens to create a secret cannot echo it as one.
    const literal = 'CANARY.doc.7c1f03';
    const token = fc.oneof(
      fc.constantFrom(
        'query',
        'mutation',
        'subscription',
        'fragment F on Query',
        '...F',
        '... on Query',
        'on',
        '{',
        '}',
        '{',
        '}',
        '(',
        ')',
        ':',
        '$v',
        '$v: String',
        '$v: Int!',
        '[',
        ']',
        '=',
        '!',
        '@skip(if: true)',
        '@include(if: $v)',
        '@deprecated',
        'secrets',
        'secret(id: $v)',
        'createSecret',
        'deleteSecret',
        'input:',
        'name',
        'value:',
        'id',
        'totalCount',
        'edges',
        'node',
        '__typename',
        '__schema',
        'first: 100',
        'a:',
        `"${literal}"`,
        `"""${literal}"""`,
        '1e999',
        '-0',
        'null',
        'true',
        'WORKSPACE',
        '#',
        '\n',
        ',',
        '&',
        '|',
      ),
      hostileString(3),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(token, { maxLength: 40 }),
        fc.option(hostileString(2), { nil: undefined }),
        async (tokens, operationName) => {
          const r = await api.post(
            { query: tokens.join(' '), operationName, variables: { v: literal } },
            {
              authorization: `Bearer ${bearer}`,
            },
          );
          expectSafeAnswer(r, literal, CANARY);
          await expectServing(api.url);
        },
      ),
      {
        numRuns: RUNS,
        examples: [
          [['subscription', '{', 'secrets', '{', 'totalCount', '}', '}'], undefined],
          [['mutation', '{', 'deleteSecret(id: $v)', '}'], undefined],
        ],
      },
    );
  });

  it('raw bytes: any body that is not UTF-8 is refused as BAD_REQUEST, in a value too, and nothing is stored', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.boolean(), async (bytes, insideValue) => {
        const name = `RAW_${kind}_${n++}`;
        const body = insideValue
          ? Buffer.concat([
              Buffer.from(
                `{"query":${JSON.stringify(CREATE_SECRET)},"variables":{"i":{"name":"${name}","value":"${CANARY}`,
              ),
              bytes,
              Buffer.from('"}}}'),
            ])
          : Buffer.from(bytes);
        const r = await postRaw(body);
        expectSafeAnswer(r, CANARY);
        if (decodeUtf8Strictly(body) === undefined) {
          expect(r.status).toBe(400);
          expect(outcomeOf(r)).toBe('BAD_REQUEST');
          const rows = (await api.dataSource.query('SELECT id FROM secrets WHERE name = ?', [
            name,
          ])) as unknown[];
          expect(rows).toEqual([]);
        }
        await expectServing(api.url);
      }),
      { numRuns: RUNS },
    );
  });

  it('no canary in any log line, and the heap did not blow up', () => {
    expect(api.logLines.length).toBeGreaterThan(RUNS);
    expect(api.logLines.join('\n')).not.toContain(CANARY);
    expect(api.logLines.join('\n')).not.toContain(String(CANARY_NUMBER));
    // A loose bound: a leak or an unbounded buffer shows up as hundreds of MB.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 1024 * 1024);
  });
});

/** The API takes no templates (SPEC §9 puts them in the runner SDK), so the SDK's parser is fuzzed directly. */
describe('hostile template text (runner SDK)', () => {
  const template = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      hostileString(),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(hostileString(2), tie('node'), { maxKeys: 4 }),
    ),
  })).node;

  it('extraction finds only valid names; rendering fills exactly those or names every missing one', () => {
    fc.assert(
      fc.property(template, fc.boolean(), (input, complete) => {
        const names = extractSecretReferences(input);
        for (const name of names) expect(name).toMatch(SECRET_NAME_PATTERN);
        const values = Object.fromEntries(names.map((name, i) => [name, `${CANARY}-${i}`]));
        if (complete || names.length === 0) {
          const rendered = renderTemplate(input, values);
          expect(extractSecretReferences(rendered).filter((n) => !names.includes(n))).toEqual([]);
        } else {
          delete values[names[0]!];
          try {
            renderTemplate(input, values);
            expect.unreachable('a reference without a value must throw');
          } catch (error) {
            expect(error).toBeInstanceOf(MissingTemplateValuesError);
            expect((error as MissingTemplateValuesError).missingNames).toEqual([names[0]]);
            expect((error as Error).message).not.toContain(CANARY);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('templates nested 1,000 deep render; deeper ones are refused with a clear error, never a wrong answer', () => {
    const nest = (depth: number): unknown => {
      let node: unknown = 'Bearer {{ secrets.TOKEN }}';
      for (let i = 0; i < depth; i++) node = i % 2 ? [node] : { step: node };
      return node;
    };
    expect(extractSecretReferences(nest(MAX_TEMPLATE_DEPTH))).toEqual(['TOKEN']);
    expect(JSON.stringify(renderTemplate(nest(MAX_TEMPLATE_DEPTH), { TOKEN: 't' }))).toContain('"Bearer t"');
    for (const depth of [MAX_TEMPLATE_DEPTH + 1, 10_000, 100_000]) {
      expect(() => extractSecretReferences(nest(depth))).toThrow(/nests deeper than 1000 levels/);
      expect(() => renderTemplate(nest(depth), { TOKEN: 't' })).toThrow(/nests deeper than 1000 levels/);
    }
  });
});
