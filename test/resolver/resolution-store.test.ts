import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { SecretEntity } from '../../services/storage/entities/secret-entity.js';
import { readPoolStats } from '../../services/storage/pool-stats.js';
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

  it('moves last_used_at forward only, for many secrets in one call', async () => {
    const deps = {
      secretStore: createSecretStore(db),
      cipher: createEnvelopeCipher({ keyring: createTestKeyring() }),
    };
    // More secrets than one statement takes, so the call spans several statements.
    const secrets = [];
    for (let i = 0; i < 205; i += 1) {
      secrets.push(await seedSecret(deps, { workspaceId: 'w2', name: `USED_${i}`, value: 'v' }));
    }
    const [first, second, last] = [secrets[0]!, secrets[1]!, secrets[204]!];
    const store = createResolutionStore(db);
    const lastUsed = async (id: string) =>
      (await db.dataSource.manager.findOneBy(SecretEntity, { id }))?.lastUsedAt?.toISOString();
    const t1 = new Date('2030-01-01T10:00:00.000Z');
    const t2 = new Date('2030-01-01T10:00:05.250Z');
    const t3 = new Date('2030-01-01T10:00:09.500Z');
    await store.touchLastUsed(secrets.map((s) => ({ secretId: s.id, at: t1 })));
    expect(await lastUsed(first.id)).toBe(t1.toISOString());
    expect(await lastUsed(last.id)).toBe(t1.toISOString());
    // Each its own time: forward for the first and last, back (so untouched) for the second.
    await store.touchLastUsed([
      { secretId: first.id, at: t2 },
      { secretId: second.id, at: new Date('2029-12-31T00:00:00.000Z') },
      { secretId: last.id, at: t3 },
    ]);
    expect(await lastUsed(first.id)).toBe(t2.toISOString());
    expect(await lastUsed(second.id)).toBe(t1.toISOString());
    expect(await lastUsed(last.id)).toBe(t3.toISOString());
    await store.touchLastUsed([{ secretId: first.id, at: t1 }]);
    expect(await lastUsed(first.id)).toBe(t2.toISOString());
    // Untouched secrets keep their time.
    expect(await lastUsed(secrets[100]!.id)).toBe(t1.toISOString());
  });
});

describe('resolution store on mariadb, statements straight on the pool', () => {
  let db: Awaited<ReturnType<typeof openMigratedDataSource>>;
  beforeAll(async () => {
    db = await openMigratedDataSource('mariadb');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('a lookup mysql2 refuses before sending fails alone, and its connection goes back to the pool', async () => {
    const store = createResolutionStore(db);
    // The resolver never sends a name that is not a string; here it stands for any
    // parameter mysql2 refuses synchronously, which must reject the lookup, not crash.
    await expect(store.findCandidates('w1', 'alice', [undefined as unknown as string])).rejects.toThrow(
      /Bind parameters must not contain undefined/,
    );
    expect(readPoolStats(db.dataSource)).toMatchObject({ used: 0 });
    expect(await store.findCandidates('w1', 'alice', ['TOKEN'])).toEqual([]);
    expect(readPoolStats(db.dataSource)).toMatchObject({ used: 0 });
  });
});
