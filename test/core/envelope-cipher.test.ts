import { describe, expect, it } from 'vitest';
import { createEnvelopeCipher, type SealContext } from '../../services/core/crypto/envelope-cipher.js';
import { createLocalKeyring } from '../../services/core/crypto/keyring.js';
import { DomainError } from '../../services/protocol/domain-error.js';
import { createTestKeyring } from '../support/test-keyring.js';

const context: SealContext = { workspaceId: 'ws-1', secretId: 'secret-a', version: 1 };
const plaintext = 'sk_live_canary_4f1b 🔑 multi\nline';

function flipBit(buffer: Buffer, index = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[index % copy.length]! ^= 0x01;
  return copy;
}

describe('envelope cipher', () => {
  const keyring = createTestKeyring();
  const cipher = createEnvelopeCipher({ keyring });

  it('round-trips UTF-8 text and never stores it in the clear', async () => {
    const sealed = await cipher.seal(plaintext, context);
    expect(sealed.ciphertext.includes(Buffer.from(plaintext))).toBe(false);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.tag).toHaveLength(16);
    expect(sealed.keyId).toBe(keyring.activeKeyId());
    await expect(cipher.open(sealed, context)).resolves.toBe(plaintext);
  });

  it('uses a fresh data key and IV for every seal', async () => {
    const a = await cipher.seal(plaintext, context);
    const b = await cipher.seal(plaintext, context);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it.each<[string, SealContext]>([
    ['another secret', { ...context, secretId: 'secret-b' }],
    ['another version', { ...context, version: 2 }],
    ['another workspace', { ...context, workspaceId: 'ws-2' }],
  ])('refuses a sealed value copied to %s (AAD binding)', async (_label, other) => {
    const sealed = await cipher.seal(plaintext, context);
    await expect(cipher.open(sealed, other)).rejects.toThrow(DomainError);
  });

  it('refuses a wrapped data key moved onto another version', async () => {
    const mine = await cipher.seal(plaintext, context);
    const theirs = await cipher.seal('other value', { ...context, version: 2 });
    await expect(
      cipher.open({ ...theirs, wrappedKey: mine.wrappedKey }, { ...context, version: 2 }),
    ).rejects.toThrow(DomainError);
  });

  it.each(['ciphertext', 'iv', 'tag', 'wrappedKey'] as const)(
    'detects a flipped bit in %s',
    async (field) => {
      const sealed = await cipher.seal(plaintext, context);
      for (const index of [0, 5, sealed[field].length - 1]) {
        await expect(
          cipher.open({ ...sealed, [field]: flipBit(sealed[field], index) }, context),
        ).rejects.toThrow(/integrity check/);
      }
    },
  );

  it('names an unknown key id in a clear error that holds no value', async () => {
    const sealed = await cipher.seal(plaintext, context);
    const error = await cipher.open({ ...sealed, keyId: 'retired-key' }, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toContain('"retired-key" is not in the keyring');
    expect((error as DomainError).message).not.toContain('canary');
  });

  it('after rotation new seals use the new key and old ones still open; rewrap moves them', async () => {
    const rotating = createTestKeyring();
    const c = createEnvelopeCipher({ keyring: rotating });
    const before = await c.seal(plaintext, context);
    const newKey = rotating.rotate();
    const after = await c.seal(plaintext, context);
    expect(after.keyId).toBe(newKey.id);
    await expect(c.open(before, context)).resolves.toBe(plaintext);
    const rewrapped = await c.rewrap(before, context);
    expect(rewrapped.keyId).toBe(newKey.id);
    await expect(c.open({ ...before, ...rewrapped }, context)).resolves.toBe(plaintext);
  });

  it('a keyring without the key cannot unwrap (keys are not interchangeable)', async () => {
    const sealed = await cipher.seal(plaintext, context);
    const stranger = createEnvelopeCipher({
      keyring: createLocalKeyring(() => ({
        keys: [{ id: sealed.keyId, key: Buffer.alloc(32, 7) }],
        activeKeyId: sealed.keyId,
      })),
    });
    await expect(stranger.open(sealed, context)).rejects.toThrow(/integrity check/);
  });
});
