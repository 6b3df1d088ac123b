import { describe, expect, it } from 'vitest';
import { keysCommand } from '../../services/cli/commands/keys.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { secretRow } from '../support/seed-secret.js';
import { openCheckpointEnv } from './support/checkpoint-env.js';

describe.each(DATABASE_KINDS)(
  'keys rewrap upgrades values sealed before scope and owner were bound, on %s',
  (kind) => {
    it('re-seals binding-1 versions to binding 2, which then open only under their own scope and owner', async () => {
      const env = await openCheckpointEnv(kind);
      try {
        const { runtime } = env;
        // A personal secret written the way values were before (workspace, secret, version only).
        const row = secretRow({ workspaceId: 'ws-r', name: 'OLD', scope: 'PERSONAL', ownerId: 'alice' });
        const legacy = await runtime.cipher.seal('legacy-value', {
          workspaceId: 'ws-r',
          secretId: row.id,
          version: 1,
        });
        expect(legacy.binding).toBe(1);
        await runtime.secretStore.transaction(async (tx) => {
          await runtime.secretStore.insertSecret(tx, row);
          await runtime.secretStore.insertVersion(tx, {
            secretId: row.id,
            version: 1,
            ...legacy,
            createdAt: new Date(),
            createdBy: 'seed',
          });
          await runtime.stateSealer.seal(tx, row.id);
        });

        const rewrap = await env.cli(keysCommand, ['rewrap']);
        expect(rewrap).toMatchObject({ code: 0 });
        expect(rewrap.out).toContain(
          'resealed 1 older value(s) to bind scope and owner; 0 changed meanwhile, 0 could not be opened',
        );
        const [version] = (await env.dataSource.query(
          'SELECT binding FROM secret_versions WHERE secret_id = ?',
          [row.id],
        )) as Array<{ binding: number | string }>;
        expect(Number(version!.binding)).toBe(2);
        const sealed = (await runtime.secretStore.findVersion(row.id, 1))!;
        const context = { workspaceId: 'ws-r', secretId: row.id, version: 1 };
        await expect(
          runtime.cipher.open(sealed, { ...context, scope: 'PERSONAL', ownerId: 'alice' }),
        ).resolves.toBe('legacy-value');
        // Bound now: the same bytes under another owner or scope do not open.
        await expect(
          runtime.cipher.open(sealed, { ...context, scope: 'PERSONAL', ownerId: 'mallory' }),
        ).rejects.toThrow();
        await expect(
          runtime.cipher.open(sealed, { ...context, scope: 'WORKSPACE', ownerId: '' }),
        ).rejects.toThrow();
        await expect(runtime.cipher.open(sealed, context)).rejects.toThrow();
        // A second run has nothing left to upgrade and says nothing about it.
        const again = await env.cli(keysCommand, ['rewrap']);
        expect(again.out).not.toContain('resealed');
      } finally {
        await env.close();
      }
    });
  },
);
