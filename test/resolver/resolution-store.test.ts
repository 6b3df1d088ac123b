import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { SecretEntity } from '../../services/storage/entities/secret-entity.js';
import { createResolutionStore } from '../../services/storage/resolution-store.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { createTestKeyring } from '../support/test-keyring.js';
import { seedSecret } from '../support/seed-secret.js';

describe.each(DATABASE_KINDS)('resolution store on %s', (kind) => {
  let db: Awaited<ReturnType<typeof openMigratedDataSource>>;
  beforeAll(async () => {
    db = await openMigratedDataSource(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('matches names case-sensitively and only the principal’s personal secrets', async () => {
    const deps = {
      secretStore: createSecretStore(db),
      cipher: createEnvelopeCipher({ keyring: createTestKeyring() }),
    };
    await seedSecret(deps, { workspaceId: 'w1', name: 'Token', value: 'v1' });
    await seedSecret(deps, {
      workspaceId: 'w1',
      name: 'Token',
      value: 'v2',
      scope: 'PERSONAL',
      ownerId: 'bob',
    });
    const store = createResolutionStore(db);
    expect(await store.findCandidates('w1', 'alice', ['TOKEN'])).toEqual([]);
    const found = await store.findCandidates('w1', 'alice', ['Token']);
    expect(found.map((c) => [c.scope, c.ownerId, c.version, c.restricted])).toEqual([
      ['WORKSPACE', '', 1, false],
    ]);
    expect(found[0]?.sealed.ciphertext).toBeInstanceOf(Buffer);
  });

  it('moves last_used_at forward only', async () => {
    const deps = {
      secretStore: createSecretStore(db),
      cipher: createEnvelopeCipher({ keyring: createTestKeyring() }),
    };
    const secret = await seedSecret(deps, { workspaceId: 'w2', name: 'USED', value: 'v' });
    const store = createResolutionStore(db);
    const lastUsed = async () =>
      (await db.dataSource.manager.findOneBy(SecretEntity, { id: secret.id }))?.lastUsedAt;
    const t1 = new Date('2030-01-01T10:00:00.000Z');
    const t2 = new Date('2030-01-01T10:00:05.250Z');
    await store.touchLastUsed(secret.id, t1);
    expect((await lastUsed())?.toISOString()).toBe(t1.toISOString());
    await store.touchLastUsed(secret.id, t2);
    expect((await lastUsed())?.toISOString()).toBe(t2.toISOString());
    await store.touchLastUsed(secret.id, t1);
    expect((await lastUsed())?.toISOString()).toBe(t2.toISOString());
  });
});
