import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { outcomeOf, startApi, type ApiHarness } from './api-harness.js';

const IMPORT = `mutation($i: ImportSecretsInput!) { importSecrets(input: $i) { created updated skipped } }`;
const REGISTER = `mutation($i: RegisterSystemSecretInput!) { registerSystemSecret(input: $i) { id } }`;

/** importSecrets(dryRun: true): SPEC §5.1 — reports what the import would do, writes nothing. */
describe.each(DATABASE_KINDS)('importSecrets dryRun on %s', (kind) => {
  let api: ApiHarness;
  let admin: string;
  let member: string;

  beforeAll(async () => {
    api = await startApi(kind);
    admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    member = await api.token({ sub: 'bob', wid: 'ws1', role: 'member' });
    const seeded = await api.gql(admin, IMPORT, {
      i: { dotenv: 'EXISTING_ONE=first\nEXISTING_TWO=second\n' },
    });
    expect(seeded.body.data!.importSecrets).toEqual({ created: 2, updated: 0, skipped: 0 });
    const integration = await api.token({ sub: 'svc-slack', wid: 'ws1', scope: 'secrets:system' });
    const registered = await api.gql(integration, REGISTER, {
      i: { integration: 'slack', name: 'SLACK_TOKEN', value: 'xoxb-system-managed-value' },
    });
    expect(outcomeOf(registered)).toBe('OK');
  });
  afterAll(() => api?.close());

  /** Everything an import could write: secrets, versions, and the audit log. */
  const snapshot = async () => ({
    secrets: await api.dataSource.query('SELECT id, name, current_version FROM secrets ORDER BY id'),
    versions: await api.dataSource.query(
      'SELECT secret_id, version FROM secret_versions ORDER BY secret_id, version',
    ),
    audit: await api.dataSource.query('SELECT COUNT(*) AS n FROM audit_events'),
  });

  const dryRun = (dotenv: string, extra: Record<string, unknown> = {}, token = admin) =>
    api.gql(token, IMPORT, { i: { dotenv, dryRun: true, ...extra } });

  it('reports the counts of a fresh import and writes no secret, version or audit record', async () => {
    const before = await snapshot();
    const r = await dryRun('NEW_A=dry-run-canary-a\nexport NEW_B="dry-run-canary-b"\nNEW_C=c # note\n');
    expect(r.body.data!.importSecrets).toEqual({ created: 3, updated: 0, skipped: 0 });
    expect(r.text).not.toContain('dry-run-canary');
    expect(await snapshot()).toEqual(before);
  });

  it('reports skips and overwrites per onConflict exactly as the real import then does', async () => {
    const dotenv = 'EXISTING_ONE=rotated\nFRESH_ONE=new\n';
    for (const onConflict of ['SKIP', 'OVERWRITE'] as const) {
      const before = await snapshot();
      const preview = await dryRun(dotenv, { onConflict });
      expect(await snapshot()).toEqual(before);
      expect(preview.body.data!.importSecrets).toEqual(
        onConflict === 'SKIP'
          ? { created: 1, updated: 0, skipped: 1 }
          : { created: 1, updated: 1, skipped: 0 },
      );
      // The real import with the same input reports the same counts (FRESH_ONE is new for the
      // first real import only, so the second compares against a fresh preview).
      const real = await api.gql(admin, IMPORT, { i: { dotenv, onConflict } });
      expect(real.body.data!.importSecrets).toEqual(preview.body.data!.importSecrets);
      await api.gql(admin, `mutation($id: ID!) { deleteSecret(id: $id) }`, {
        id: (
          (await api.dataSource.query("SELECT id FROM secrets WHERE name = 'FRESH_ONE'")) as Array<{
            id: string;
          }>
        )[0]!.id,
      });
    }
  });

  it('fails as the import would: FAIL on an existing name is CONFLICT naming its line, and nothing changes', async () => {
    const before = await snapshot();
    const r = await dryRun('BRAND_NEW=1\nEXISTING_TWO=2\n', { onConflict: 'FAIL' });
    expect(outcomeOf(r)).toBe('CONFLICT');
    expect(r.body.errors![0]!.extensions).toMatchObject({ field: 'dotenv', line: 2 });
    expect(r.body.errors![0]!.message).toContain('EXISTING_TWO already exists');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to plan an overwrite of a system-managed secret, and records nothing for the preview', async () => {
    const before = await snapshot();
    const r = await dryRun('SLACK_TOKEN=mine-now\n', { onConflict: 'OVERWRITE' });
    expect(outcomeOf(r)).toBe('FORBIDDEN');
    expect(r.body.errors![0]!.message).toContain('SLACK_TOKEN is system-managed');
    expect(await snapshot()).toEqual(before);
    // The real import is refused the same way, and that refusal is audited.
    const real = await api.gql(admin, IMPORT, {
      i: { dotenv: 'SLACK_TOKEN=mine-now\n', onConflict: 'OVERWRITE' },
    });
    expect(outcomeOf(real)).toBe('FORBIDDEN');
    const denied = await api.dataSource.query(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'secret.import' AND outcome = 'DENIED'",
    );
    expect(Number((denied as Array<{ n: number }>)[0]!.n)).toBe(1);
  });

  it('reports a bad line with its number, as the import does', async () => {
    const before = await snapshot();
    const r = await dryRun('GOOD_ONE=1\nthis is not a pair\n');
    expect(outcomeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.extensions).toMatchObject({ field: 'dotenv', line: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it('keeps the permission rules: a member may preview personal imports but not workspace ones', async () => {
    const personal = await dryRun('EXISTING_ONE=mine\n', { scope: 'PERSONAL' }, member);
    // A member's personal scope is empty: the workspace's EXISTING_ONE is no conflict there.
    expect(personal.body.data!.importSecrets).toEqual({ created: 1, updated: 0, skipped: 0 });
    const workspace = await dryRun('ANYTHING=x\n', {}, member);
    expect(outcomeOf(workspace)).toBe('FORBIDDEN');
  });

  it('dryRun: false (the default) imports for real', async () => {
    const r = await api.gql(admin, IMPORT, { i: { dotenv: 'WRITTEN_FOR_REAL=1\n', dryRun: false } });
    expect(r.body.data!.importSecrets).toEqual({ created: 1, updated: 0, skipped: 0 });
    const rows = await api.dataSource.query("SELECT name FROM secrets WHERE name = 'WRITTEN_FOR_REAL'");
    expect(rows).toHaveLength(1);
  });
});
