import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { rewrapDataKeys } from '../../services/core/crypto/rewrap-data-keys.js';
import { createSecretStore, type SecretStore } from '../../services/storage/secret-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { seedSecret } from '../support/seed-secret.js';
import { createTestKeyring } from '../support/test-keyring.js';

describe.each(DATABASE_KINDS)('keys rotate + rewrap on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let secretStore: SecretStore;
  const keyring = createTestKeyring();
  const cipher = createEnvelopeCipher({ keyring });
  const secrets: Array<{ id: string; value: string }> = [];

  beforeAll(async () => {
    handle = await openMigratedDataSource(kind);
    secretStore = createSecretStore({ dataSource: handle.dataSource });
    for (let i = 0; i < 25; i++) {
      const value = `value-${i}-${'x'.repeat(i)}`;
      const row = await seedSecret(
        { secretStore, cipher },
        { workspaceId: `ws-${i % 3}`, name: `S_${i}`, value },
      );
      secrets.push({ id: row.id, value });
    }
  });
  afterAll(() => handle?.close());

  async function expectAllDecrypt(): Promise<void> {
    for (const { id, value } of secrets) {
      const row = (await secretStore.findSecretById(id))!;
      const version = (await secretStore.findVersion(id, 1))!;
      await expect(
        cipher.open(version, {
          workspaceId: row.workspaceId,
          secretId: id,
          version: 1,
          scope: row.scope,
          ownerId: row.ownerId,
        }),
      ).resolves.toBe(value);
    }
  }

  it('a rewrap killed halfway and run again leaves every key on the new master key', async () => {
    const oldKey = keyring.activeKeyId();
    const newKey = keyring.rotate().id;

    let batches = 0;
    await expect(
      rewrapDataKeys({
        secretStore,
        cipher,
        keyring,
        batchSize: 10,
        onBatch: () => {
          batches += 1;
          if (batches === 1) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const midway = await secretStore.countVersionsByKey();
    expect(midway).toEqual(
      expect.arrayContaining([
        { keyId: newKey, count: 10 },
        { keyId: oldKey, count: 15 },
      ]),
    );
    await expectAllDecrypt();

    const result = await rewrapDataKeys({ secretStore, cipher, keyring, batchSize: 10 });
    expect(result).toMatchObject({ rewrapped: 15, failed: 0, batches: 2 });
    expect(await secretStore.countVersionsByKey()).toEqual([{ keyId: newKey, count: 25 }]);
    await expectAllDecrypt();

    // Nothing left: a further run is a no-op.
    expect(await rewrapDataKeys({ secretStore, cipher, keyring })).toMatchObject({
      rewrapped: 0,
      batches: 0,
    });
  });

  it('skips a row changed by someone else between read and write', async () => {
    keyring.rotate();
    const store: SecretStore = {
      ...secretStore,
      // Another process re-wraps the page's first row right after this run has read it.
      listVersionsNotWrappedBy: async (keyId, afterId, limit) => {
        const page = await secretStore.listVersionsNotWrappedBy(keyId, afterId, limit);
        const first = page[0];
        if (first && afterId === 0) {
          const next = await cipher.rewrap(first, {
            workspaceId: first.workspaceId,
            secretId: first.secretId,
            version: first.version,
            scope: first.scope,
            ownerId: first.ownerId,
          });
          await secretStore.transaction((tx) =>
            secretStore.replaceWrappedKeys(tx, first.keyId, next.keyId, [
              { id: first.id, wrappedKey: next.wrappedKey },
            ]),
          );
        }
        return page;
      },
    };
    const result = await rewrapDataKeys({ secretStore: store, cipher, keyring, batchSize: 100 });
    expect(result.skipped).toBe(1);
    expect(result.rewrapped).toBe(24);
    expect(await secretStore.countVersionsByKey()).toEqual([{ keyId: keyring.activeKeyId(), count: 25 }]);
  });
});
