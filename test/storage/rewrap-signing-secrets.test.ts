import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { rewrapDataKeys } from '../../services/core/crypto/rewrap-data-keys.js';
import { signingKeySource } from '../../services/core/webhooks/signing-key-source.js';
import {
  newSigningSecret,
  sealSigningSecret,
  signingSecretContext,
} from '../../services/core/webhooks/signing-secret.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { createWebhookStore } from '../../services/storage/webhook-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { createTestKeyring } from '../support/test-keyring.js';

describe.each(DATABASE_KINDS)('keys rewrap moves webhook signing secrets on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openMigratedDataSource>>;
  const keyring = createTestKeyring();
  const cipher = createEnvelopeCipher({ keyring });
  const endpoints: Array<{ id: string; workspaceId: string; secret: string }> = [];

  beforeAll(async () => {
    handle = await openMigratedDataSource(kind);
    const webhookStore = createWebhookStore({ dataSource: handle.dataSource });
    for (let i = 0; i < 7; i++) {
      const id = randomUUID();
      const workspaceId = `ws-${i % 2}`;
      const secret = newSigningSecret();
      const now = new Date();
      await webhookStore.insertEndpoint({
        id,
        workspaceId,
        url: `https://hooks.example/${i}`,
        events: [],
        description: '',
        secretVersion: 1,
        sealedSecret: await sealSigningSecret(cipher, secret, workspaceId, id, 1),
        disabledAt: null,
        disabledReason: null,
        failingSince: null,
        createdAt: now,
        createdBy: 'alice',
        updatedAt: now,
      });
      endpoints.push({ id, workspaceId, secret });
    }
  });
  afterAll(() => handle?.close());

  it('re-wraps each signing secret to the active key, in pages, and each still opens only in its own context', async () => {
    const webhookStore = createWebhookStore({ dataSource: handle.dataSource });
    const oldKey = keyring.activeKeyId();
    const newKey = keyring.rotate().id;
    const result = await rewrapDataKeys({
      secretStore: createSecretStore({ dataSource: handle.dataSource }),
      cipher,
      keyring,
      moreSources: [signingKeySource(webhookStore, cipher)],
      batchSize: 3,
    });
    expect(result).toMatchObject({ others: 7, othersBySource: { 'webhook signing secrets': 7 }, failed: 0 });
    expect(await webhookStore.countSigningKeysByKey()).toEqual([{ keyId: newKey, count: 7 }]);
    for (const { id, workspaceId, secret } of endpoints) {
      const row = (await webhookStore.findEndpoint(id))!;
      expect(row.sealedSecret.keyId).toBe(newKey);
      await expect(cipher.open(row.sealedSecret, signingSecretContext(workspaceId, id, 1))).resolves.toBe(
        secret,
      );
      // Bound to its endpoint: another endpoint's context does not open it.
      const other = endpoints.find((e) => e.id !== id)!;
      await expect(
        cipher.open(row.sealedSecret, signingSecretContext(workspaceId, other.id, 1)),
      ).rejects.toThrow();
    }
    expect(oldKey).not.toBe(newKey);
    // Nothing left to move: a second run moves none.
    expect(
      await rewrapDataKeys({
        secretStore: createSecretStore({ dataSource: handle.dataSource }),
        cipher,
        keyring,
        moreSources: [signingKeySource(webhookStore, cipher)],
      }),
    ).toMatchObject({ others: 0 });
  });
});
