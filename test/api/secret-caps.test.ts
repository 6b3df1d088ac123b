import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { CREATE_SECRET, IMPORT_SECRETS } from '../support/graphql-documents.js';
import { outcomeOf, startApi, type ApiHarness } from './api-harness.js';

const WS = 'ws-caps';
const dotenv = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}_${i}=value-${i}`).join('\n');

/** SPEC §5.1: entries per import and personal secrets per user are capped, refused before any work. */
describe.each(DATABASE_KINDS)('caps on %s', (kind) => {
  let api: ApiHarness;
  let admin: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    api = await startApi(kind, {
      env: { STRONGROOM_MAX_IMPORT_ENTRIES: '5', STRONGROOM_MAX_PERSONAL_SECRETS: '3' },
    });
    admin = await api.token({ sub: 'alice', wid: WS, role: 'admin' });
    bob = await api.token({ sub: 'bob', wid: WS, role: 'member' });
    carol = await api.token({ sub: 'carol', wid: WS, role: 'member' });
  });
  afterAll(() => api?.close());

  const count = async () =>
    Number(((await api.dataSource.query('SELECT COUNT(*) AS n FROM secrets')) as Array<{ n: number }>)[0]!.n);

  it('an import of more entries than the cap is refused BAD_USER_INPUT, dry run too, nothing written', async () => {
    for (const dryRun of [false, true]) {
      const refused = await api.gql(admin, IMPORT_SECRETS, { i: { dotenv: dotenv('BIG', 6), dryRun } });
      expect(outcomeOf(refused)).toBe('BAD_USER_INPUT');
      expect(refused.body.errors![0]!.extensions).toMatchObject({ field: 'dotenv' });
      expect(refused.body.errors![0]!.message).toContain('at most 5');
    }
    expect(await count()).toBe(0);
    const fits = await api.gql(admin, IMPORT_SECRETS, { i: { dotenv: dotenv('FITS', 5) } });
    expect(fits.body.data!.importSecrets).toEqual({ created: 5, updated: 0, skipped: 0 });
  });

  it('a user holds at most the cap of personal secrets, by create or import; others are not counted', async () => {
    for (let i = 0; i < 3; i++) {
      const created = await api.gql(bob, CREATE_SECRET, {
        i: { name: `BOB_${i}`, value: 'v', scope: 'PERSONAL' },
      });
      expect(created.body.errors).toBeUndefined();
    }
    const before = await count();
    const fourth = await api.gql(bob, CREATE_SECRET, { i: { name: 'BOB_3', value: 'v', scope: 'PERSONAL' } });
    expect(outcomeOf(fourth)).toBe('BAD_USER_INPUT');
    expect(fourth.body.errors![0]!.extensions).toMatchObject({ field: 'scope' });
    const imported = await api.gql(bob, IMPORT_SECRETS, {
      i: { dotenv: 'BOB_0=new\nBOB_9=v', scope: 'PERSONAL', onConflict: 'OVERWRITE' },
    });
    expect(outcomeOf(imported)).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
    // Overwriting what one holds adds nothing, so it fits.
    const overwrite = await api.gql(bob, IMPORT_SECRETS, {
      i: { dotenv: 'BOB_0=new', scope: 'PERSONAL', onConflict: 'OVERWRITE' },
    });
    expect(overwrite.body.data!.importSecrets).toEqual({ created: 0, updated: 1, skipped: 0 });
    const carols = await api.gql(carol, CREATE_SECRET, {
      i: { name: 'BOB_3', value: 'v', scope: 'PERSONAL' },
    });
    expect(carols.body.errors).toBeUndefined();
    // Workspace secrets are not personal ones.
    expect(outcomeOf(await api.gql(admin, CREATE_SECRET, { i: { name: 'SHARED', value: 'v' } }))).toBe('OK');
  });
});
