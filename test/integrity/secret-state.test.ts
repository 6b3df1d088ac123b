import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTamperedSecrets } from '../../services/core/integrity/secret-state-verifier.js';
import { secretsCommand } from '../../services/cli/commands/secrets.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import type { SecretRow } from '../../services/storage/entities/secret-entity.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { rotateSecret, seedSecret } from '../support/seed-secret.js';
import { createResolverHarness, type ResolverHarness } from '../resolver/support/resolver-harness.js';
import { createTestPki, type TestPki } from '../resolver/support/test-pki.js';
import { openCheckpointEnv } from './support/checkpoint-env.js';

/** A value that must never come back once its secret's state was forged. */
const CANARY = 'canary-state-7f3c9e1b2a';

const runFor = (workspaceId: string, user: string) => ({
  workspaceId,
  workflowId: 'wf-state',
  runId: `run-${randomUUID()}`,
  trigger: Trigger.MANUAL,
  triggeredBy: user,
  workflowOwner: user,
  stepId: '',
});

type Flip = [
  label: string,
  seed: (h: ResolverHarness, ws: string) => Promise<SecretRow>,
  flip: (h: ResolverHarness, secret: SecretRow) => Promise<unknown>,
  /** Who resolves after the flip (the one the forged state would let in). */
  as: string,
];

const flips: Flip[] = [
  [
    "a personal secret's scope turned WORKSPACE",
    (h, ws) =>
      seedSecret(h, { workspaceId: ws, name: 'MINE', value: CANARY, scope: 'PERSONAL', ownerId: 'alice' }),
    (h, s) =>
      h.dataSource.query("UPDATE secrets SET scope = 'WORKSPACE', owner_id = '' WHERE id = ?", [s.id]),
    'mallory',
  ],
  [
    "a personal secret's owner changed",
    (h, ws) =>
      seedSecret(h, { workspaceId: ws, name: 'MINE', value: CANARY, scope: 'PERSONAL', ownerId: 'alice' }),
    (h, s) => h.dataSource.query("UPDATE secrets SET owner_id = 'mallory' WHERE id = ?", [s.id]),
    'mallory',
  ],
  [
    'the current version moved back to a rotated-away value',
    async (h, ws) => {
      const s = await seedSecret(h, { workspaceId: ws, name: 'ROTATED', value: CANARY });
      await rotateSecret(h, s, 'the-current-value-2');
      return s;
    },
    (h, s) => h.dataSource.query('UPDATE secrets SET current_version = 1 WHERE id = ?', [s.id]),
    'alice',
  ],
  [
    'a member added to a restricted secret',
    (h, ws) => seedSecret(h, { workspaceId: ws, name: 'RESTRICTED', value: CANARY, members: ['alice'] }),
    (h, s) =>
      h.dataSource.query(
        "INSERT INTO secret_members (secret_id, user_id, role, created_at, created_by) VALUES (?, 'mallory', 'MEMBER', ?, 'x')",
        [s.id, '2026-01-01 00:00:00'],
      ),
    'mallory',
  ],
  [
    'the system flag flipped',
    (h, ws) => seedSecret(h, { workspaceId: ws, name: 'PLAIN', value: CANARY }),
    (h, s) => h.dataSource.query('UPDATE secrets SET system_managed = 1 WHERE id = ?', [s.id]),
    'alice',
  ],
  [
    'the state tag removed',
    (h, ws) => seedSecret(h, { workspaceId: ws, name: 'PLAIN', value: CANARY }),
    (h, s) => h.dataSource.query("UPDATE secrets SET state_tag = '' WHERE id = ?", [s.id]),
    'alice',
  ],
];

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(DATABASE_KINDS)('authenticated secret state on %s', (kind) => {
  let h: ResolverHarness;
  beforeAll(async () => {
    h = await createResolverHarness(kind, pki);
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(flips)(
    '%s in SQL: the next resolve answers DATA_LOSS, sends no value, audits INTEGRITY',
    async (_l, seed, flip, as) => {
      const ws = `ws-${randomUUID().slice(0, 8)}`;
      const secret = await seed(h, ws);
      await flip(h, secret);
      // A resolver whose cache has not seen the secret: it reads the flipped row.
      const { port } = await h.startServer();
      const requestId = `state-${randomUUID()}`;
      const { response, error } = await h
        .client(port)
        .resolve({ context: runFor(ws, as), names: [secret.name] }, { requestId });
      expect(response).toBeUndefined();
      expect(error?.code).toBe(status.DATA_LOSS);
      expect(`${error?.message} ${JSON.stringify(error?.metadata?.getMap())}`).not.toContain(CANARY);
      const rows = await h.auditEvents(requestId);
      expect(rows.map((r) => [r.action, r.outcome, r.reason])).toEqual([
        ['secret.resolve', 'ERROR', 'INTEGRITY'],
      ]);
      expect(JSON.stringify(rows)).not.toContain(CANARY);
      // The operator's listing names it.
      const { tampered } = await findTamperedSecrets({ secretStore: h.secretStore, tags: h.stateTags });
      expect(tampered.map((t) => t.id)).toContain(secret.id);
    },
  );

  it('untouched secrets verify and resolve; only the flipped ones are listed', async () => {
    const ws = `ws-${randomUUID().slice(0, 8)}`;
    await seedSecret(h, { workspaceId: ws, name: 'FINE', value: 'fine-value' });
    const { port } = await h.startServer();
    const { response, error } = await h
      .client(port)
      .resolve({ context: runFor(ws, 'alice'), names: ['FINE'] });
    expect(error).toBeUndefined();
    expect(response?.secrets.map((s) => s.name)).toEqual(['FINE']);
    const { checked, tampered } = await findTamperedSecrets({
      secretStore: h.secretStore,
      tags: h.stateTags,
    });
    expect(checked).toBeGreaterThan(tampered.length);
    expect(tampered.some((t) => t.workspaceId === ws)).toBe(false);
  });
});

describe.each(DATABASE_KINDS)('strongroom secrets verify on %s', (kind) => {
  it('lists each secret whose state fails, by name and id, and exits 1; 0 once none does', async () => {
    const env = await openCheckpointEnv(kind);
    try {
      const fine = await seedSecret(env.runtime, { workspaceId: 'ws-v', name: 'FINE', value: CANARY });
      const flipped = await seedSecret(env.runtime, { workspaceId: 'ws-v', name: 'FLIPPED', value: CANARY });
      expect(await env.cli(secretsCommand, ['verify'])).toMatchObject({
        code: 0,
        out: 'checked 2 secret(s): 0 fail(s) verification',
      });
      await env.dataSource.query('UPDATE secrets SET current_version = 7 WHERE id = ?', [flipped.id]);
      const text = await env.cli(secretsCommand, ['verify']);
      expect(text.code).toBe(1);
      expect(text.out).toContain(
        `FAILS ws-v WORKSPACE FLIPPED (id ${flipped.id}): its state was changed outside Strongroom`,
      );
      expect(text.out).not.toContain(fine.id);
      expect(text.out).not.toContain(CANARY);
      const json = await env.cli(secretsCommand, ['verify', '--json']);
      expect(JSON.parse(json.out)).toMatchObject({
        ok: false,
        checked: 2,
        failed: [{ id: flipped.id, name: 'FLIPPED', reason: 'mismatch' }],
      });
      expect(await env.cli(secretsCommand, ['verify', '--loud'])).toMatchObject({ code: 2 });
    } finally {
      await env.close();
    }
  });
});
