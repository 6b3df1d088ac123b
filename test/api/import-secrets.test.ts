import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { outcomeOf, startApi, type ApiHarness } from './api-harness.js';
import { IMPORT_SECRETS } from '../support/graphql-documents.js';

describe.each(DATABASE_KINDS)('importSecrets on %s', (kind) => {
  let api: ApiHarness;
  let admin: string;

  beforeAll(async () => {
    api = await startApi(kind);
    admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
  });
  afterAll(() => api?.close());

  const snapshot = async () => ({
    secrets: await api.dataSource.query('SELECT id, name, current_version FROM secrets ORDER BY id'),
    versions: await api.dataSource.query(
      'SELECT secret_id, version FROM secret_versions ORDER BY secret_id, version',
    ),
    audit: await api.dataSource.query("SELECT COUNT(*) AS n FROM audit_events WHERE outcome = 'SUCCESS'"),
  });

  it('imports dotenv syntax: export, quotes, multi-line, inline comments', async () => {
    const dotenv = [
      '# a comment',
      'PLAIN=plain-value',
      'export EXPORTED=exported-value',
      "SINGLE='single # not a comment'",
      'DOUBLE="line1\\nline2"',
      'BACKTICK=`tick`',
      'MULTI="first',
      'second"',
      'INLINE=value # trailing comment',
      '',
    ].join('\n');
    const r = await api.gql(admin, IMPORT_SECRETS, { i: { dotenv } });
    expect(r.body.data!.importSecrets).toEqual({ created: 7, updated: 0, skipped: 0 });
    const names = (
      (await api.dataSource.query('SELECT name FROM secrets ORDER BY name')) as Array<{ name: string }>
    ).map((x) => x.name);
    expect(names).toEqual(['BACKTICK', 'DOUBLE', 'EXPORTED', 'INLINE', 'MULTI', 'PLAIN', 'SINGLE']);
  });

  it('onConflict: FAIL refuses, SKIP skips, OVERWRITE rotates', async () => {
    const fail = await api.gql(admin, IMPORT_SECRETS, { i: { dotenv: 'PLAIN=again\nNEW_ONE=x\n' } });
    expect(outcomeOf(fail)).toBe('CONFLICT');
    expect(fail.body.errors![0]!.extensions!.line).toBe(1);
    expect(
      (
        await api.gql(admin, IMPORT_SECRETS, {
          i: { dotenv: 'PLAIN=again\nNEW_ONE=x\n', onConflict: 'SKIP' },
        })
      ).body.data!.importSecrets,
    ).toEqual({ created: 1, updated: 0, skipped: 1 });
    expect(
      (
        await api.gql(admin, IMPORT_SECRETS, {
          i: { dotenv: 'PLAIN=again\nNEW_TWO=x\n', onConflict: 'OVERWRITE' },
        })
      ).body.data!.importSecrets,
    ).toEqual({ created: 1, updated: 1, skipped: 0 });
    const [plain] = (await api.dataSource.query(
      "SELECT current_version FROM secrets WHERE name = 'PLAIN'",
    )) as Array<{ current_version: number }>;
    expect(Number(plain!.current_version)).toBe(2);
  });

  it.each([
    ['a line that is not KEY=VALUE', 'GOOD=1\nnot a pair\n', 2],
    ['an invalid name', 'GOOD=1\nBAD.NAME=2\n', 2],
    ['the same name twice', 'A_ONE=1\nB_TWO=2\nA_ONE=3\n', 3],
    ['an empty value', 'A_ONE=1\nEMPTY=\n', 2],
    ['an unclosed quote', 'A_ONE=1\nOPEN="abc\n', 2],
  ])('%s fails the whole import, naming line %i, and changes nothing', async (_label, dotenv, line) => {
    const before = await snapshot();
    const r = await api.gql(admin, IMPORT_SECRETS, { i: { dotenv } });
    expect(outcomeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.extensions).toMatchObject({ field: 'dotenv', line });
    expect(r.body.errors![0]!.message).toContain(`Line ${line}`);
    expect(await snapshot()).toEqual(before);
  });

  it('a failure inside the transaction (a conflict on the last line) leaves the database exactly as it was', async () => {
    const before = await snapshot();
    const lines = Array.from({ length: 50 }, (_, i) => `BULK_${i}=value-${i}`);
    lines.push('PLAIN=conflicts');
    expect(outcomeOf(await api.gql(admin, IMPORT_SECRETS, { i: { dotenv: lines.join('\n') } }))).toBe(
      'CONFLICT',
    );
    expect(await snapshot()).toEqual(before);
  });
});
