import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryForms } from '../faults/support/leak-search.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startApi, type ApiHarness, type GraphQLResult } from './api-harness.js';
import {
  CREATE_SECRET,
  IMPORT_SECRETS,
  REGISTER_SYSTEM_SECRET,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';

const CANARY = 'CANARY-7f3e9b2c-value-Zq81';

describe.each(DATABASE_KINDS)('no value leaks from the API (%s)', (kind) => {
  let api: ApiHarness;
  const responses: GraphQLResult[] = [];

  beforeAll(async () => {
    api = await startApi(kind);
    const admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    const member = await api.token({ sub: 'bob', wid: 'ws1', role: 'member' });
    const service = await api.token({ sub: 'svc', wid: 'ws1', scope: 'secrets:system' });
    const run = async (token: string | undefined, query: string, variables: Record<string, unknown> = {}) => {
      const r = await api.gql(token, query, variables);
      responses.push(r);
      return r;
    };
    const created = await run(admin, CREATE_SECRET, {
      i: { name: 'CANARY_KEY', value: `${CANARY}-1` },
    });
    const id = created.body.data!.createSecret.id;
    await run(admin, UPDATE_SECRET_VALUE, {
      i: { id, value: `${CANARY}-2` },
    });
    await run(admin, IMPORT_SECRETS, {
      i: { dotenv: `IMPORTED="${CANARY}-3"\nexport OTHER=${CANARY}-4 # comment\n` },
    });
    await run(service, REGISTER_SYSTEM_SECRET, {
      i: { integration: 'gh', name: 'SYS_CANARY', value: `${CANARY}-5` },
    });
    // Refused and malformed requests that carry the value.
    await run(member, UPDATE_SECRET_VALUE, {
      i: { id, value: `${CANARY}-6` },
    });
    await run(admin, CREATE_SECRET, {
      i: { name: 'CANARY_KEY', value: `${CANARY}-7` },
    });
    await run(admin, CREATE_SECRET, {
      i: { name: 'BAD NAME', value: `${CANARY}-8` },
    });
    await run(admin, CREATE_SECRET, {
      i: { name: 'X', value: `${CANARY}-9`, scope: 'NOPE' },
    });
    await run(admin, CREATE_SECRET, {
      i: { name: 'X', value: 12345, extra: `${CANARY}-10` },
    });
    await run(
      admin,
      `mutation { createSecret(input: {name: "Y", value: "${CANARY}-11", scope: BOGUS}) { id } }`,
    );
    await run(admin, `mutation { createSecret(input: {name: 7, value: "${CANARY}-12"}) { id } }`);
    await run(admin, IMPORT_SECRETS, {
      i: { dotenv: `GOOD=${CANARY}-13\nthis line is wrong ${CANARY}-14\n` },
    });
    await run(admin, IMPORT_SECRETS, {
      i: { dotenv: `BROKEN="${CANARY}-15\n` },
    });
    await run(undefined, CREATE_SECRET, {
      i: { name: 'Z', value: `${CANARY}-16` },
    });
    await run(
      admin,
      `{ secrets(first: 50, filter: { includeSystemManaged: true }) { edges { node { id name maskedPreview description displayName } } } }`,
    );
  });
  afterAll(() => api?.close());

  it('no response body, error or extension carries the value in any encoding', () => {
    expect(responses.length).toBeGreaterThan(10);
    for (const response of responses)
      for (const { form, text } of canaryForms(CANARY)) expect(response.text, form).not.toContain(text);
  });

  it('no server log line carries it (debug logging on)', () => {
    expect(api.logLines.length).toBeGreaterThan(0);
    const logs = api.logLines.join('\n');
    for (const { form, text } of canaryForms(CANARY)) expect(logs, form).not.toContain(text);
  });

  it('no audit row or other database row carries it', async () => {
    for (const table of ['audit_events', 'audit_chains', 'secrets', 'secret_members']) {
      const dump = JSON.stringify(await api.dataSource.query(`SELECT * FROM ${table}`));
      for (const { form, text } of canaryForms(CANARY))
        expect(dump, `${table} as ${form}`).not.toContain(text);
    }
    const versions = (await api.dataSource.query(
      'SELECT ciphertext, iv, tag, wrapped_key FROM secret_versions',
    )) as Array<Record<string, Buffer>>;
    for (const row of versions)
      for (const column of Object.values(row))
        expect(Buffer.from(column).includes(Buffer.from(CANARY))).toBe(false);
  });

  it('introspection of the development schema shows no Secret field that could carry a value', async () => {
    const admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    const r = await api.gql(
      admin,
      `{ __type(name: "Secret") { fields { name type { name kind ofType { name } } } } }`,
    );
    const fields = r.body.data!.__type.fields.map((f: { name: string }) => f.name).sort();
    expect(fields).toEqual(
      [
        'createdAt',
        'createdBy',
        'description',
        'displayName',
        'id',
        'integration',
        'lastUsedAt',
        'maskedPreview',
        'members',
        'name',
        'ownerId',
        'scope',
        'systemManaged',
        'updatedAt',
        'updatedBy',
        'version',
        // SPEC §5.1: times and a list of version metadata, none of them derived from a value.
        'expiresAt',
        'rotationIntervalDays',
        'rotationDueAt',
        'versions',
      ].sort(),
    );
    const versions = await api.gql(admin, `{ __type(name: "SecretVersion") { fields { name } } }`);
    expect(versions.body.data!.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual(
      ['createdAt', 'createdBy', 'destroyed', 'maskedPreview', 'restoredFrom', 'version'].sort(),
    );
  });
});
