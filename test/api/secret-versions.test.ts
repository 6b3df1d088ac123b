import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTamperedSecrets } from '../../services/core/integrity/secret-state-verifier.js';
import { createResolverClient } from '../../services/sdk/resolver-client.js';
import { DATABASE_KINDS } from '../support/databases.js';
import {
  CREATE_SECRET,
  DESTROY_SECRET_VERSION,
  RESTORE_SECRET_VERSION,
  SECRET_VERSIONS,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';
import { outcomeOf, startApi, type ApiHarness, startResolverBeside } from './api-harness.js';

const WS = 'ws-versions';
const value = (n: number) => `versioned-value-${String(n).padStart(8, '0')}-canary`;

/** SPEC §5.1 over real HTTP and mTLS: versions listed, restored without decrypting, destroyed for good. */
describe.each(DATABASE_KINDS)('secret versions on %s', (kind) => {
  let api: ApiHarness;
  let beside: Awaited<ReturnType<typeof startResolverBeside>> | undefined;
  let client: ReturnType<typeof createResolverClient>;
  let admin: string;
  let member: string;
  let run = 0;

  beforeAll(async () => {
    api = await startApi(kind, { env: { STRONGROOM_VERSIONS_KEPT: '4' } });
    beside = await startResolverBeside(api);
    client = beside.client;
    admin = await api.token({ sub: 'alice', wid: WS, role: 'admin' });
    member = await api.token({ sub: 'bob', wid: WS, role: 'member' });
  });
  afterAll(async () => {
    await beside?.close();
    await api?.close();
  });

  const resolve = (name: string) =>
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
      [name],
    );

  /** Creates `name` and rotates it to `versions` versions; returns its id. */
  async function secretWithVersions(name: string, versions: number): Promise<string> {
    const created = await api.gql(admin, CREATE_SECRET, { i: { name, value: value(1) } });
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createSecret.id as string;
    for (let v = 2; v <= versions; v++) {
      const rotated = await api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: value(v) } });
      expect(rotated.body.errors).toBeUndefined();
    }
    return id;
  }

  const sealedLengths = async (id: string) =>
    (
      (await api.dataSource.query(
        'SELECT version, LENGTH(ciphertext) AS c, LENGTH(wrapped_key) AS k FROM secret_versions WHERE secret_id = ? ORDER BY version',
        [id],
      )) as Array<{ version: number; c: number; k: number }>
    ).map((r) => [Number(r.version), Number(r.c) > 0 && Number(r.k) > 0]);

  it('lists versions newest first, paged, with each version’s own preview and no value', async () => {
    const id = await secretWithVersions('LISTED', 3);
    const page1 = await api.gql(admin, SECRET_VERSIONS, { id, first: 2 });
    expect(page1.body.errors).toBeUndefined();
    const versions = page1.body.data!.secret.versions;
    expect(versions.totalCount).toBe(3);
    expect(versions.edges.map((e: { node: unknown }) => e.node)).toMatchObject([
      { version: 3, maskedPreview: '••••••••nary', restoredFrom: null, destroyed: false, createdBy: 'alice' },
      { version: 2, restoredFrom: null, destroyed: false },
    ]);
    expect(versions.pageInfo.hasNextPage).toBe(true);
    const page2 = await api.gql(member, SECRET_VERSIONS, {
      id,
      first: 2,
      after: versions.pageInfo.endCursor,
    });
    expect(
      page2.body.data!.secret.versions.edges.map((e: { node: { version: number } }) => e.node.version),
    ).toEqual([1]);
    expect(page1.text + page2.text).not.toContain('canary-');
    expect(page1.text).not.toContain(value(3));
  });

  it('restores an old value as a new version that the resolver serves, audited, state still verifying', async () => {
    const id = await secretWithVersions('RESTORED', 3);
    expect(await resolve('RESTORED')).toMatchObject([{ value: value(3), version: 3 }]);
    const restored = await api.gql(admin, RESTORE_SECRET_VERSION, { i: { id, version: 1 } });
    expect(restored.body.errors).toBeUndefined();
    expect(restored.body.data!.restoreSecretVersion).toMatchObject({ version: 4, updatedBy: 'alice' });
    expect(restored.text).not.toContain(value(1));
    expect(await resolve('RESTORED')).toMatchObject([{ name: 'RESTORED', value: value(1), version: 4 }]);

    // A restore of a restore opens in the context the value was first sealed in.
    await api.gql(admin, UPDATE_SECRET_VALUE, { i: { id, value: value(5) } });
    const again = await api.gql(admin, RESTORE_SECRET_VERSION, { i: { id, version: 4 } });
    expect(again.body.data!.restoreSecretVersion.version).toBe(6);
    expect(await resolve('RESTORED')).toMatchObject([{ value: value(1), version: 6 }]);

    const listed = await api.gql(admin, SECRET_VERSIONS, { id, first: 3 });
    expect(listed.body.data!.secret.versions.edges.map((e: { node: unknown }) => e.node)).toMatchObject([
      { version: 6, restoredFrom: 4 },
      { version: 5, restoredFrom: null },
      { version: 4, restoredFrom: 1 },
    ]);
    const audit = (await api.dataSource.query(
      "SELECT action, outcome, version, reason FROM audit_events WHERE secret_id = ? AND action = 'secret.restore' ORDER BY id",
      [id],
    )) as Array<{ action: string; outcome: string; version: number; reason: string }>;
    expect(audit.map((a) => [a.outcome, Number(a.version), a.reason])).toEqual([
      ['SUCCESS', 4, 'restored from version 1'],
      ['SUCCESS', 6, 'restored from version 4'],
    ]);
    const { tampered } = await findTamperedSecrets({
      secretStore: api.runtime.secretStore,
      tags: api.runtime.stateTags,
    });
    expect(tampered).toEqual([]);
  });

  it('refuses restoring the current, a future or a destroyed version, and a member without rights', async () => {
    const id = await secretWithVersions('REFUSED', 2);
    expect(outcomeOf(await api.gql(admin, RESTORE_SECRET_VERSION, { i: { id, version: 2 } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(outcomeOf(await api.gql(admin, RESTORE_SECRET_VERSION, { i: { id, version: 9 } }))).toBe(
      'NOT_FOUND',
    );
    expect(outcomeOf(await api.gql(member, RESTORE_SECRET_VERSION, { i: { id, version: 1 } }))).toBe(
      'FORBIDDEN',
    );
    expect(outcomeOf(await api.gql(member, DESTROY_SECRET_VERSION, { i: { id, version: 1 } }))).toBe(
      'FORBIDDEN',
    );
    expect(outcomeOf(await api.gql(admin, DESTROY_SECRET_VERSION, { i: { id, version: 2 } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(outcomeOf(await api.gql(admin, DESTROY_SECRET_VERSION, { i: { id, version: 1 } }))).toBe('OK');
    const refused = await api.gql(admin, RESTORE_SECRET_VERSION, { i: { id, version: 1 } });
    expect(outcomeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors![0]!.extensions!.field).toBe('version');
    const denied = (await api.dataSource.query(
      "SELECT action, outcome FROM audit_events WHERE secret_id = ? AND outcome = 'DENIED' ORDER BY id",
      [id],
    )) as Array<{ action: string; outcome: string }>;
    expect(denied.map((d) => d.action)).toEqual(['secret.restore', 'secret.destroy_version']);
  });

  it('destroySecretVersion removes the ciphertext for good and keeps the version listed as destroyed', async () => {
    const id = await secretWithVersions('DESTROYED', 3);
    const destroyed = await api.gql(admin, DESTROY_SECRET_VERSION, { i: { id, version: 2 } });
    expect(destroyed.body.errors).toBeUndefined();
    expect(destroyed.body.data!.destroySecretVersion.version).toBe(3);
    expect(await sealedLengths(id)).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    const [row] = (await api.dataSource.query(
      'SELECT LENGTH(ciphertext) AS c, LENGTH(iv) AS i, LENGTH(tag) AS t, LENGTH(wrapped_key) AS k, key_id AS keyId FROM secret_versions WHERE secret_id = ? AND version = 2',
      [id],
    )) as Array<{ c: number; i: number; t: number; k: number; keyId: string }>;
    expect([Number(row!.c), Number(row!.i), Number(row!.t), Number(row!.k), row!.keyId]).toEqual([
      0,
      0,
      0,
      0,
      '',
    ]);
    const listed = await api.gql(admin, SECRET_VERSIONS, { id });
    expect(listed.body.data!.secret.versions.edges.map((e: { node: unknown }) => e.node)).toMatchObject([
      { version: 3, destroyed: false },
      { version: 2, destroyed: true },
      { version: 1, destroyed: false },
    ]);
    const audit = (await api.dataSource.query(
      "SELECT outcome, version FROM audit_events WHERE secret_id = ? AND action = 'secret.destroy_version'",
      [id],
    )) as Array<{ outcome: string; version: number }>;
    expect(audit.map((a) => [a.outcome, Number(a.version)])).toEqual([['SUCCESS', 2]]);
    // Destroying it again changes nothing and still answers.
    expect(outcomeOf(await api.gql(admin, DESTROY_SECRET_VERSION, { i: { id, version: 2 } }))).toBe('OK');
    expect(await resolve('DESTROYED')).toMatchObject([{ value: value(3), version: 3 }]);
  });

  it('retention keeps exactly STRONGROOM_VERSIONS_KEPT sealed values, on rotation and on restore', async () => {
    const id = await secretWithVersions('RETAINED', 7);
    expect(await sealedLengths(id)).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
      [5, true],
      [6, true],
      [7, true],
    ]);
    await api.gql(admin, RESTORE_SECRET_VERSION, { i: { id, version: 4 } });
    expect((await sealedLengths(id)).filter(([, live]) => live).map(([v]) => v)).toEqual([5, 6, 7, 8]);
    expect(await resolve('RETAINED')).toMatchObject([{ value: value(4), version: 8 }]);
  });

  it('a database writer pointing the current version at an older ciphertext is refused DATA_LOSS', async () => {
    const id = await secretWithVersions('ROLLED_BACK', 2);
    expect(await resolve('ROLLED_BACK')).toMatchObject([{ value: value(2) }]);
    const [old] = (await api.dataSource.query(
      'SELECT ciphertext, iv, tag, wrapped_key AS wrappedKey, key_id AS keyId FROM secret_versions WHERE secret_id = ? AND version = 1',
      [id],
    )) as Array<{ ciphertext: Buffer; iv: Buffer; tag: Buffer; wrappedKey: Buffer; keyId: string }>;
    await api.dataSource.query(
      'UPDATE secret_versions SET ciphertext = ?, iv = ?, tag = ?, wrapped_key = ?, key_id = ?, sealed_as = 1 WHERE secret_id = ? AND version = 2',
      [old!.ciphertext, old!.iv, old!.tag, old!.wrappedKey, old!.keyId, id],
    );
    await expect(resolve('ROLLED_BACK')).rejects.toMatchObject({ code: 'DATA_LOSS' });
    const { tampered } = await findTamperedSecrets({
      secretStore: api.runtime.secretStore,
      tags: api.runtime.stateTags,
    });
    expect(tampered.map((t) => t.name)).toEqual(['ROLLED_BACK']);
  });
});
