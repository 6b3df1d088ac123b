import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { seedSecret } from '../support/seed-secret.js';
import { createTestKeyring } from '../support/test-keyring.js';

/**
 * The triggers behind the resolver's candidate cache: every write that can change what
 * a resolve returns moves the workspace's generation forward, in the writer's own
 * transaction, whichever path (store or raw SQL) makes it; writes that cannot change a
 * resolve leave it alone.
 */
describe.each(DATABASE_KINDS)('secret generations on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let dataSource: DataSource;
  const cipher = createEnvelopeCipher({ keyring: createTestKeyring() });
  // A time both drivers bind in raw SQL.
  const now = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

  beforeAll(async () => {
    handle = await openMigratedDataSource(kind);
    dataSource = handle.dataSource;
  });
  afterAll(() => handle?.close());

  const generationOf = async (workspaceId: string): Promise<number> => {
    const rows = (await dataSource.query('SELECT generation FROM secret_generations WHERE workspace_id = ?', [
      workspaceId,
    ])) as Array<{ generation: number | string }>;
    return rows.length === 0 ? 0 : Number(rows[0]!.generation);
  };

  /** Runs `write` and reports whether it moved `workspaceId`'s generation forward. */
  const moves = async (workspaceId: string, write: () => Promise<unknown>): Promise<boolean> => {
    const before = await generationOf(workspaceId);
    await write();
    const after = await generationOf(workspaceId);
    expect(after).toBeGreaterThanOrEqual(before);
    return after > before;
  };

  it('moves on every write that changes what a resolve returns, and on nothing else', async () => {
    const ws = `ws-gen-${kind}`;
    const other = `ws-gen-other-${kind}`;
    const secretStore = createSecretStore({ dataSource });
    expect(await generationOf(ws)).toBe(0);

    let secretId = '';
    expect(
      await moves(ws, async () => {
        secretId = (
          await seedSecret({ secretStore, cipher }, { workspaceId: ws, name: 'API_KEY', value: 'v1' })
        ).id;
      }),
    ).toBe(true);
    const sealed = await cipher.seal('v2', { workspaceId: ws, secretId, version: 2 });
    const changes: Array<[string, string, unknown[]]> = [
      [
        'a new version',
        `INSERT INTO secret_versions (secret_id, version, ciphertext, iv, tag, wrapped_key, key_id, created_at, created_by)
         VALUES (?, 2, ?, ?, ?, ?, ?, ?, 'test')`,
        [secretId, sealed.ciphertext, sealed.iv, sealed.tag, sealed.wrappedKey, sealed.keyId, now()],
      ],
      ['the current version', 'UPDATE secrets SET current_version = 2 WHERE id = ?', [secretId]],
      ['restricted', 'UPDATE secrets SET restricted = 1 WHERE id = ?', [secretId]],
      ['the name', "UPDATE secrets SET name = 'API_KEY_2' WHERE id = ?", [secretId]],
      [
        'the owner and scope',
        "UPDATE secrets SET scope = 'PERSONAL', owner_id = 'u1' WHERE id = ?",
        [secretId],
      ],
      [
        'a new member',
        "INSERT INTO secret_members (secret_id, user_id, role, created_at, created_by) VALUES (?, 'u2', 'member', ?, 't')",
        [secretId, now()],
      ],
      ['a member changed', "UPDATE secret_members SET role = 'owner' WHERE secret_id = ?", [secretId]],
      ['a member removed', "DELETE FROM secret_members WHERE secret_id = ? AND user_id = 'u2'", [secretId]],
      [
        'a rewrapped key',
        'UPDATE secret_versions SET key_id = key_id, wrapped_key = ? WHERE secret_id = ? AND version = 1',
        [sealed.wrappedKey, secretId],
      ],
      ['a version removed', 'DELETE FROM secret_versions WHERE secret_id = ? AND version = 1', [secretId]],
    ];
    for (const [what, sql, params] of changes) {
      expect(await moves(ws, () => dataSource.query(sql, params)), what).toBe(true);
    }
    const unrelated: Array<[string, string, unknown[]]> = [
      ['last use', 'UPDATE secrets SET last_used_at = ? WHERE id = ?', [now(), secretId]],
      [
        'descriptive metadata',
        "UPDATE secrets SET description = 'd', display_name = 'n', masked_preview = '****', updated_at = ?, updated_by = 'x' WHERE id = ?",
        [now(), secretId],
      ],
      ['a no-op rename', "UPDATE secrets SET name = 'API_KEY_2' WHERE id = ?", [secretId]],
    ];
    for (const [what, sql, params] of unrelated) {
      expect(await moves(ws, () => dataSource.query(sql, params)), what).toBe(false);
    }

    // Another workspace's counter is its own.
    expect(
      await moves(other, () =>
        seedSecret({ secretStore, cipher }, { workspaceId: ws, name: 'SECOND', value: 'x' }),
      ),
    ).toBe(false);

    expect(await moves(ws, () => dataSource.query('DELETE FROM secrets WHERE id = ?', [secretId]))).toBe(
      true,
    );
  });

  it('moves with the writer: a rolled-back write leaves the generation where it was', async () => {
    const ws = `ws-gen-rollback-${kind}`;
    const secretStore = createSecretStore({ dataSource });
    const secret = await seedSecret({ secretStore, cipher }, { workspaceId: ws, name: 'K', value: 'v' });
    const before = await generationOf(ws);
    await expect(
      dataSource.transaction(async (tx) => {
        await tx.query('UPDATE secrets SET current_version = 7 WHERE id = ?', [secret.id]);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await generationOf(ws)).toBe(before);
  });
});
