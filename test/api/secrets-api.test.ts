import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { outcomeOf, startApi, type ApiHarness } from './api-harness.js';
import {
  CREATE_SECRET,
  DELETE_SECRET,
  ADD_SECRET_MEMBER,
  REGISTER_SYSTEM_SECRET,
  REMOVE_SECRET_MEMBER,
  REVOKE_SYSTEM_SECRET,
  SECRET_FIELDS,
  UPDATE_SECRET,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';

const GET = `query($id: ID!) { secret(id: $id) { ${SECRET_FIELDS} } }`;
const LIST = `query($filter: SecretFilter, $first: Int, $after: String) { secrets(filter: $filter, first: $first, after: $after) {
  totalCount edges { cursor node { id name scope systemManaged } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

describe.each(DATABASE_KINDS)('GraphQL secrets API over HTTP on %s', (kind) => {
  let api: ApiHarness;
  let admin: string;
  let member: string;
  let service: string;

  beforeAll(async () => {
    api = await startApi(kind);
    admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    member = await api.token({ sub: 'bob', wid: 'ws1', role: 'member' });
    service = await api.token({ sub: 'github-integration', wid: 'ws1', scope: 'secrets:system' });
  });
  afterAll(() => api?.close());

  it('createSecret stores metadata, a masked preview and version 1; no field returns the value', async () => {
    const value = 'sk_live_0123456789abcdefWXYZ';
    const result = await api.gql(admin, CREATE_SECRET, {
      i: { name: 'STRIPE_KEY', value, displayName: 'Stripe', description: 'live key' },
    });
    expect(result.body.errors).toBeUndefined();
    const secret = result.body.data!.createSecret;
    expect(secret).toMatchObject({
      name: 'STRIPE_KEY',
      displayName: 'Stripe',
      description: 'live key',
      scope: 'WORKSPACE',
      ownerId: null,
      systemManaged: false,
      integration: null,
      maskedPreview: '••••••••WXYZ',
      version: 1,
      createdBy: 'alice',
      lastUsedAt: null,
      members: [],
    });
    expect(result.text).not.toContain(value);
    const short = await api.gql(admin, CREATE_SECRET, { i: { name: 'SHORT', value: 'tiny-value' } });
    expect(short.body.data!.createSecret.maskedPreview).toBe('••••••••');
  });

  it('updateSecretValue rotates: version + 1, new preview, audit event in the same commit', async () => {
    const created = await api.gql(admin, CREATE_SECRET, {
      i: { name: 'ROTATE_ME', value: 'first-value-000000000001' },
    });
    const id = created.body.data!.createSecret.id as string;
    const rotated = await api.gql(admin, UPDATE_SECRET_VALUE, {
      i: { id, value: 'second-value-00000000002' },
    });
    expect(rotated.body.data!.updateSecretValue).toMatchObject({
      id,
      version: 2,
      maskedPreview: '••••••••0002',
    });
    const events = (await api.dataSource.query(
      'SELECT action, outcome, version FROM audit_events WHERE secret_id = ? ORDER BY id',
      [id],
    )) as Array<{ action: string; outcome: string; version: number }>;
    expect(events.map((e) => [e.action, e.outcome, Number(e.version)])).toEqual([
      ['secret.create', 'SUCCESS', 1],
      ['secret.update_value', 'SUCCESS', 2],
    ]);
    const versions = (await api.dataSource.query(
      'SELECT version FROM secret_versions WHERE secret_id = ? ORDER BY version',
      [id],
    )) as Array<{ version: number }>;
    expect(versions.map((v) => Number(v.version))).toEqual([1, 2]);
  });

  it('updateSecret edits display name and description without a new version', async () => {
    const id = (await api.gql(admin, CREATE_SECRET, { i: { name: 'EDIT_ME', value: 'edit-value' } })).body
      .data!.createSecret.id;
    const result = await api.gql(admin, UPDATE_SECRET, {
      i: { id, displayName: 'Edited', description: 'now described' },
    });
    expect(result.body.data!.updateSecret).toMatchObject({
      id,
      displayName: 'Edited',
      description: 'now described',
      version: 1,
    });
  });

  it('deleteSecret destroys every ciphertext; the audit trail stays', async () => {
    const id = (await api.gql(admin, CREATE_SECRET, { i: { name: 'DELETE_ME', value: 'delete-value' } })).body
      .data!.createSecret.id;
    await api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: 'delete-value-2' } });
    expect((await api.gql(admin, DELETE_SECRET, { id })).body.data).toEqual({ deleteSecret: id });
    expect(await api.dataSource.query('SELECT id FROM secret_versions WHERE secret_id = ?', [id])).toEqual(
      [],
    );
    expect((await api.gql(admin, GET, { id })).body.data).toEqual({ secret: null });
    const trail = (await api.dataSource.query(
      'SELECT action FROM audit_events WHERE secret_id = ? ORDER BY id',
      [id],
    )) as Array<{ action: string }>;
    expect(trail.map((e) => e.action)).toEqual(['secret.create', 'secret.update_value', 'secret.delete']);
    expect(outcomeOf(await api.gql(admin, DELETE_SECRET, { id }))).toBe('NOT_FOUND');
  });

  it('secret(id) returns metadata, and null for unknown ids', async () => {
    const id = (await api.gql(admin, CREATE_SECRET, { i: { name: 'READ_ME', value: 'read-value' } })).body
      .data!.createSecret.id;
    expect((await api.gql(member, GET, { id })).body.data!.secret).toMatchObject({ id, name: 'READ_ME' });
    expect((await api.gql(member, GET, { id: '00000000-0000-0000-0000-000000000000' })).body.data).toEqual({
      secret: null,
    });
  });

  it('secrets() pages with Relay cursors, filters by scope and name, hides system-managed unless asked', async () => {
    for (let i = 0; i < 7; i++)
      await api.gql(admin, CREATE_SECRET, { i: { name: `PAGE_${i}`, value: `page-value-${i}` } });
    await api.gql(member, CREATE_SECRET, { i: { name: 'PAGE_PERSONAL', value: 'mine', scope: 'PERSONAL' } });
    await api.gql(
      service,
      `mutation { registerSystemSecret(input: {integration: "github", name: "PAGE_SYSTEM", value: "gho_token"}) { id } }`,
    );

    const seen: string[] = [];
    let after: string | null = null;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const page = await api.gql(member, LIST, { filter: { nameContains: 'page_' }, first: 3, after });
      const conn = page.body.data!.secrets;
      expect(conn.totalCount).toBe(8);
      seen.push(...conn.edges.map((e: { node: { name: string } }) => e.node.name));
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual([
      'PAGE_0',
      'PAGE_1',
      'PAGE_2',
      'PAGE_3',
      'PAGE_4',
      'PAGE_5',
      'PAGE_6',
      'PAGE_PERSONAL',
    ]);

    const withSystem = await api.gql(member, LIST, {
      filter: { nameContains: 'PAGE_S', includeSystemManaged: true },
    });
    expect(
      withSystem.body.data!.secrets.edges.map(
        (e: { node: { name: string; systemManaged: boolean } }) => e.node,
      ),
    ).toMatchObject([{ name: 'PAGE_SYSTEM', systemManaged: true }]);
    const personalOnly = await api.gql(member, LIST, { filter: { scope: 'PERSONAL' } });
    expect(personalOnly.body.data!.secrets.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(
      ['PAGE_PERSONAL'],
    );
    // Alice (admin) does not see Bob's personal secret.
    const alices = await api.gql(admin, LIST, { filter: { nameContains: 'PAGE_PERSONAL' } });
    expect(alices.body.data!.secrets.totalCount).toBe(0);

    // totalCount is counted per scope branch; it must match what the pages list for every filter.
    const cases: Array<[Record<string, unknown>, { bob: number; alice: number }]> = [
      [{ nameContains: 'PAGE_' }, { bob: 8, alice: 7 }],
      [
        { nameContains: 'PAGE_', includeSystemManaged: true },
        { bob: 9, alice: 8 },
      ],
      [
        { nameContains: 'PAGE_', scope: 'WORKSPACE' },
        { bob: 7, alice: 7 },
      ],
      [
        { nameContains: 'PAGE_', scope: 'PERSONAL' },
        { bob: 1, alice: 0 },
      ],
      [
        { nameContains: 'PAGE_', scope: 'WORKSPACE', includeSystemManaged: true },
        { bob: 8, alice: 8 },
      ],
    ];
    for (const [filter, counts] of cases) {
      for (const [viewer, expected] of [
        [member, counts.bob],
        [admin, counts.alice],
      ] as const) {
        const conn = (await api.gql(viewer, LIST, { filter, first: 100 })).body.data!.secrets;
        expect({ filter, totalCount: conn.totalCount }).toEqual({ filter, totalCount: expected });
        expect(conn.edges).toHaveLength(expected);
      }
    }
  });

  it('members: add, restrict, list, remove', async () => {
    const id = (await api.gql(admin, CREATE_SECRET, { i: { name: 'TEAM_KEY', value: 'team-value' } })).body
      .data!.createSecret.id;
    const added = await api.gql(admin, ADD_SECRET_MEMBER, {
      i: { secretId: id, userId: 'bob', role: 'ADMIN' },
    });
    expect(added.body.data!.addSecretMember.members).toEqual([{ userId: 'bob', role: 'ADMIN' }]);
    // Bob, a secret ADMIN member, may now rotate it although only a workspace member.
    expect(
      outcomeOf(await api.gql(member, UPDATE_SECRET_VALUE, { i: { id, value: 'rotated-by-bob' } })),
    ).toBe('OK');
    const removed = await api.gql(admin, REMOVE_SECRET_MEMBER, {
      i: { secretId: id, userId: 'bob' },
    });
    expect(removed.body.data!.removeSecretMember.members).toEqual([]);
    expect(outcomeOf(await api.gql(member, UPDATE_SECRET_VALUE, { i: { id, value: 'rotated-again' } }))).toBe(
      'FORBIDDEN',
    );
    const again = await api.gql(admin, REMOVE_SECRET_MEMBER, {
      i: { secretId: id, userId: 'bob' },
    });
    expect(outcomeOf(again)).toBe('NOT_FOUND');
  });

  it('system-managed secrets: REGISTER_SYSTEM_SECRET, refresh (new version), read-only for users, revoke', async () => {
    const first = await api.gql(service, REGISTER_SYSTEM_SECRET, {
      i: { integration: 'slack', name: 'SLACK_TOKEN', value: 'xoxb-1' },
    });
    expect(first.body.data!.registerSystemSecret).toMatchObject({
      version: 1,
      systemManaged: true,
      integration: 'slack',
    });
    const refreshed = await api.gql(service, REGISTER_SYSTEM_SECRET, {
      i: { integration: 'slack', name: 'SLACK_TOKEN', value: 'xoxb-2' },
    });
    expect(refreshed.body.data!.registerSystemSecret.version).toBe(2);
    const id = first.body.data!.registerSystemSecret.id;
    expect(outcomeOf(await api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: 'hijack' } }))).toBe(
      'FORBIDDEN',
    );
    expect(outcomeOf(await api.gql(admin, DELETE_SECRET, { id }))).toBe('FORBIDDEN');
    expect(
      outcomeOf(
        await api.gql(service, REGISTER_SYSTEM_SECRET, {
          i: { integration: 'other', name: 'SLACK_TOKEN', value: 'x' },
        }),
      ),
    ).toBe('CONFLICT');
    expect(
      (await api.gql(service, REVOKE_SYSTEM_SECRET, { i: { integration: 'slack', name: 'SLACK_TOKEN' } }))
        .body.data,
    ).toEqual({ revokeSystemSecret: id });
    expect(
      outcomeOf(
        await api.gql(service, REVOKE_SYSTEM_SECRET, { i: { integration: 'slack', name: 'SLACK_TOKEN' } }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('checkSecretReferences answers which scope serves each name, and what is missing', async () => {
    await api.gql(admin, CREATE_SECRET, { i: { name: 'REF_SHARED', value: 'shared' } });
    await api.gql(member, CREATE_SECRET, { i: { name: 'REF_MINE', value: 'mine', scope: 'PERSONAL' } });
    const check = `query($names: [String!]!, $runAs: RunAsInput!) { checkSecretReferences(names: $names, runAs: $runAs) { resolvable { name scope } missing notCheckedPersonal } }`;
    const asBob = await api.gql(member, check, {
      names: ['REF_SHARED', 'REF_MINE', 'REF_NOPE'],
      runAs: { trigger: 'MANUAL', userId: 'bob' },
    });
    expect(asBob.body.data!.checkSecretReferences).toEqual({
      resolvable: [
        { name: 'REF_SHARED', scope: 'WORKSPACE' },
        { name: 'REF_MINE', scope: 'PERSONAL' },
      ],
      missing: ['REF_NOPE'],
      notCheckedPersonal: [],
    });
    const asCarol = await api.gql(admin, check, {
      names: ['REF_MINE'],
      runAs: { trigger: 'SCHEDULE', userId: 'carol' },
    });
    expect(asCarol.body.data!.checkSecretReferences).toEqual({
      resolvable: [],
      missing: [],
      notCheckedPersonal: ['REF_MINE'],
    });
    // An admin checking for bob learns nothing of bob's personal secrets: his REF_MINE
    // and a name nobody has come back alike, and the check is audited.
    const forBob = await api.gql(admin, check, {
      names: ['REF_SHARED', 'REF_MINE', 'REF_NOPE'],
      runAs: { trigger: 'MANUAL', userId: 'bob' },
    });
    expect(forBob.body.data!.checkSecretReferences).toEqual({
      resolvable: [{ name: 'REF_SHARED', scope: 'WORKSPACE' }],
      missing: [],
      notCheckedPersonal: ['REF_MINE', 'REF_NOPE'],
    });
    const audited = (await api.dataSource.query(
      "SELECT actor_id AS actorId, principal, reason FROM audit_events WHERE action = 'secret.check_references' ORDER BY id",
    )) as Array<{ actorId: string; principal: string; reason: string }>;
    expect(audited.map((r) => [r.actorId, r.principal])).toEqual([
      ['alice', 'carol'],
      ['alice', 'bob'],
    ]);
    expect(
      outcomeOf(
        await api.gql(member, check, { names: ['REF_MINE'], runAs: { trigger: 'API', userId: 'carol' } }),
      ),
    ).toBe('FORBIDDEN');
  });

  it.each([
    ['a name with a space', { name: 'BAD NAME', value: 'v' }, 'name'],
    ['a name starting with a digit', { name: '1KEY', value: 'v' }, 'name'],
    ['a 129-character name', { name: `A${'b'.repeat(128)}`, value: 'v' }, 'name'],
    ['an empty value', { name: 'EMPTY', value: '' }, 'value'],
    ['an oversized value', { name: 'HUGE', value: 'x'.repeat(64 * 1024 + 1) }, 'value'],
    ['an overlong description', { name: 'DESC', value: 'v', description: 'd'.repeat(2049) }, 'description'],
  ])('createSecret refuses %s with BAD_USER_INPUT naming the field', async (_label, input, field) => {
    const result = await api.gql(admin, CREATE_SECRET, { i: input });
    expect(outcomeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.body.errors![0]!.extensions!.field).toBe(field);
  });

  it('a value of exactly the maximum size is accepted', async () => {
    expect(
      outcomeOf(
        await api.gql(admin, CREATE_SECRET, { i: { name: 'MAX_SIZE', value: 'y'.repeat(64 * 1024) } }),
      ),
    ).toBe('OK');
  });

  it('a duplicate name in the same scope is CONFLICT; names are case-sensitive', async () => {
    await api.gql(admin, CREATE_SECRET, { i: { name: 'DUP_KEY', value: 'one' } });
    expect(outcomeOf(await api.gql(admin, CREATE_SECRET, { i: { name: 'DUP_KEY', value: 'two' } }))).toBe(
      'CONFLICT',
    );
    expect(outcomeOf(await api.gql(admin, CREATE_SECRET, { i: { name: 'dup_key', value: 'three' } }))).toBe(
      'OK',
    );
    expect(
      outcomeOf(
        await api.gql(admin, CREATE_SECRET, { i: { name: 'DUP_KEY', value: 'four', scope: 'PERSONAL' } }),
      ),
    ).toBe('OK');
  });

  it('unknown ids are NOT_FOUND, a bad cursor or page size BAD_USER_INPUT, no token UNAUTHENTICATED', async () => {
    const unknown = '11111111-1111-1111-1111-111111111111';
    expect(outcomeOf(await api.gql(admin, UPDATE_SECRET_VALUE, { i: { id: unknown, value: 'v' } }))).toBe(
      'NOT_FOUND',
    );
    expect(outcomeOf(await api.gql(admin, UPDATE_SECRET, { i: { id: unknown, displayName: 'x' } }))).toBe(
      'NOT_FOUND',
    );
    expect(outcomeOf(await api.gql(admin, LIST, { after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
    expect(outcomeOf(await api.gql(admin, LIST, { first: 1000 }))).toBe('BAD_USER_INPUT');
    expect(outcomeOf(await api.gql(undefined, LIST))).toBe('UNAUTHENTICATED');
    expect(outcomeOf(await api.gql('garbage.token.here', LIST))).toBe('UNAUTHENTICATED');
  });

  it('health and readiness answer over HTTP', async () => {
    const base = api.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: true, keyring: true } });
  });
});
