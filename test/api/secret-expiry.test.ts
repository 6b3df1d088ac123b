import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolverClient } from '../../services/sdk/resolver-client.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { UPDATE_SECRET, UPDATE_SECRET_VALUE } from '../support/graphql-documents.js';
import {
  outcomeOf,
  startApi,
  type ApiHarness,
  type GraphQLResult,
  startResolverBeside,
} from './api-harness.js';

const WS = 'ws-expiry';
const DAY = 24 * 3600 * 1000;
const LIFECYCLE = 'id name expiresAt rotationIntervalDays rotationDueAt version';
const CREATE = `mutation($i: CreateSecretInput!) { createSecret(input: $i) { ${LIFECYCLE} } }`;
const UPDATE = `mutation($i: UpdateSecretInput!) { updateSecret(input: $i) { ${LIFECYCLE} } }`;
const LIST = `query($filter: SecretFilter) { secrets(filter: $filter, first: 100) { totalCount edges { node { name } } } }`;
const CHECK = `query($names: [String!]!) { checkSecretReferences(names: $names, runAs: { trigger: MANUAL, userId: "alice" }) {
  resolvable { name scope } missing notCheckedPersonal expired } }`;

/** SPEC §5.1: expiry enforced by the resolver and shown by the check; rotation reminders; filters. */
describe.each(DATABASE_KINDS)('secret expiry and rotation reminders on %s', (kind) => {
  let api: ApiHarness;
  let beside: Awaited<ReturnType<typeof startResolverBeside>> | undefined;
  let client: ReturnType<typeof createResolverClient>;
  let admin: string;
  let run = 0;
  const ids: Record<string, string> = {};
  let expiresSoon: Date;

  beforeAll(async () => {
    api = await startApi(kind);
    beside = await startResolverBeside(api);
    client = beside.client;
    admin = await api.token({ sub: 'alice', wid: WS, role: 'admin' });
    expiresSoon = new Date(Date.now() + 1_500);
    const create = async (name: string, extra: Record<string, unknown>) => {
      const created = await api.gql(admin, CREATE, { i: { name, value: `value-of-${name}`, ...extra } });
      expect(created.body.errors).toBeUndefined();
      ids[name] = created.body.data!.createSecret.id as string;
      return created.body.data!.createSecret;
    };
    await create('EXPIRES_A', { expiresAt: expiresSoon.toISOString() });
    await create('EXPIRES_B', { expiresAt: expiresSoon.toISOString() });
    await create('KEEPS_C', { rotationIntervalDays: 30 });
    await create('LATER_D', { expiresAt: new Date(Date.now() + 10 * DAY).toISOString() });
  });
  afterAll(async () => {
    await beside?.close();
    await api?.close();
  });

  const resolve = (names: string[]) =>
    client.resolve(
      {
        workspaceId: WS,
        workflowId: 'wf',
        runId: `run-${++run}`,
        trigger: 'MANUAL',
        triggeredBy: 'alice',
        workflowOwner: '',
        stepId: '',
      },
      names,
    );
  /** A Date as the database stores it: TypeORM's UTC text on SQLite. */
  const sqlDate = (d: Date) => (kind === 'sqlite' ? d.toISOString().replace('T', ' ').replace('Z', '') : d);
  const names = (result: GraphQLResult) =>
    (result.body.data!.secrets.edges as Array<{ node: { name: string } }>).map((e) => e.node.name).sort();

  it('refuses an expiry in the past and a rotation interval out of range, naming the field', async () => {
    const past = await api.gql(admin, CREATE, {
      i: { name: 'PAST', value: 'v', expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    expect(outcomeOf(past)).toBe('BAD_USER_INPUT');
    expect(past.body.errors![0]!.extensions!.field).toBe('expiresAt');
    const zero = await api.gql(admin, CREATE, { i: { name: 'ZERO', value: 'v', rotationIntervalDays: 0 } });
    expect(zero.body.errors![0]!.extensions!.field).toBe('rotationIntervalDays');
  });

  it('shows rotationDueAt as the last rotation plus the interval, moved forward by a rotation', async () => {
    const got = await api.gql(admin, `query($id: ID!) { secret(id: $id) { ${LIFECYCLE} createdAt } }`, {
      id: ids.KEEPS_C,
    });
    const secret = got.body.data!.secret;
    expect(secret.rotationIntervalDays).toBe(30);
    expect(Date.parse(secret.rotationDueAt) - Date.parse(secret.createdAt)).toBe(30 * DAY);
    const before = Date.now();
    const rotated = await api.gql(admin, UPDATE_SECRET_VALUE, {
      i: { id: ids.KEEPS_C, value: 'value-of-KEEPS_C' },
    });
    expect(rotated.body.errors).toBeUndefined();
    const after = await api.gql(admin, `query($id: ID!) { secret(id: $id) { rotationDueAt } }`, {
      id: ids.KEEPS_C,
    });
    expect(Date.parse(after.body.data!.secret.rotationDueAt)).toBeGreaterThanOrEqual(before + 30 * DAY - 5);
  });

  it('filters by expiringWithinDays and rotationOverdue', async () => {
    expect(names(await api.gql(admin, LIST, { filter: { expiringWithinDays: 1 } }))).toEqual([
      'EXPIRES_A',
      'EXPIRES_B',
    ]);
    expect(names(await api.gql(admin, LIST, { filter: { expiringWithinDays: 11 } }))).toEqual([
      'EXPIRES_A',
      'EXPIRES_B',
      'LATER_D',
    ]);
    expect(names(await api.gql(admin, LIST, { filter: { rotationOverdue: true } }))).toEqual([]);
    // Not part of the state tag: a reminder decides nothing, so the test may move it in SQL.
    await api.dataSource.query('UPDATE secrets SET rotation_due_at = ? WHERE id = ?', [
      sqlDate(new Date(Date.now() - DAY)),
      ids.KEEPS_C,
    ]);
    expect(names(await api.gql(admin, LIST, { filter: { rotationOverdue: true } }))).toEqual(['KEEPS_C']);
    expect(names(await api.gql(admin, LIST, { filter: { rotationOverdue: false } }))).not.toContain(
      'KEEPS_C',
    );
    expect(outcomeOf(await api.gql(admin, LIST, { filter: { expiringWithinDays: -1 } }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('an expired secret is refused FAILED_PRECONDITION naming every expired name, audited; the check reports it', async () => {
    expect(await resolve(['EXPIRES_A'])).toMatchObject([{ name: 'EXPIRES_A', value: 'value-of-EXPIRES_A' }]);
    await sleep(Math.max(0, expiresSoon.getTime() - Date.now() + 50));
    const refused = await resolve(['EXPIRES_A', 'KEEPS_C', 'EXPIRES_B']).then(
      () => undefined,
      (error: unknown) => error as { code: string; message: string; details: Record<string, unknown> },
    );
    expect(refused).toMatchObject({
      code: 'FAILED_PRECONDITION',
      details: { expiredNames: ['EXPIRES_A', 'EXPIRES_B'] },
    });
    expect(refused!.message).toContain('EXPIRES_A, EXPIRES_B');
    expect(refused!.message).not.toContain('value-of');
    const audit = (await api.dataSource.query(
      `SELECT secret_name AS name, outcome, reason FROM audit_events
        WHERE action = 'secret.resolve' AND run_id = ? ORDER BY secret_name`,
      [`run-${run}`],
    )) as Array<{ name: string; outcome: string; reason: string }>;
    expect(audit.map((a) => [a.name, a.outcome, a.reason])).toEqual([
      ['EXPIRES_A', 'DENIED', 'EXPIRED'],
      ['EXPIRES_B', 'DENIED', 'EXPIRED'],
      ['KEEPS_C', 'ERROR', 'NOT_SENT: call refused FAILED_PRECONDITION'],
    ]);
    const check = await api.gql(admin, CHECK, { names: ['EXPIRES_A', 'KEEPS_C', 'NOPE'] });
    expect(check.body.data!.checkSecretReferences).toEqual({
      resolvable: [{ name: 'KEEPS_C', scope: 'WORKSPACE' }],
      missing: ['NOPE'],
      notCheckedPersonal: [],
      expired: ['EXPIRES_A'],
    });
  });

  it('clearing the expiry through the API serves it again; an expiry changed in SQL is refused DATA_LOSS', async () => {
    await sleep(Math.max(0, expiresSoon.getTime() - Date.now() + 50));
    const cleared = await api.gql(admin, UPDATE, { i: { id: ids.EXPIRES_A, expiresAt: null } });
    expect(cleared.body.data!.updateSecret.expiresAt).toBeNull();
    expect(await resolve(['EXPIRES_A'])).toMatchObject([{ value: 'value-of-EXPIRES_A' }]);
    // Leaving it out of an update keeps it.
    await api.gql(admin, UPDATE_SECRET, { i: { id: ids.LATER_D, description: 'still expires' } });
    const kept = await api.gql(admin, `query($id: ID!) { secret(id: $id) { expiresAt } }`, {
      id: ids.LATER_D,
    });
    expect(kept.body.data!.secret.expiresAt).not.toBeNull();

    await api.dataSource.query('UPDATE secrets SET expires_at = NULL WHERE id = ?', [ids.EXPIRES_B]);
    await expect(resolve(['EXPIRES_B'])).rejects.toMatchObject({ code: 'DATA_LOSS' });
    await api.dataSource.query('UPDATE secrets SET expires_at = ? WHERE id = ?', [
      sqlDate(new Date(Date.now() + 99 * DAY)),
      ids.LATER_D,
    ]);
    await expect(resolve(['LATER_D'])).rejects.toMatchObject({ code: 'DATA_LOSS' });
  });
});
