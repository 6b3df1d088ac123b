import { describe, expect, it } from 'vitest';
import { createEnvelopeCipher, type SealContext } from '../../services/core/crypto/envelope-cipher.js';
import { createDataKeyCache } from '../../services/core/resolution/data-key-cache.js';
import { DomainError } from '../../services/protocol/domain-error.js';
import { createTestKeyring } from '../support/test-keyring.js';

const context: SealContext = { workspaceId: 'ws-1', secretId: 'secret-a', version: 1 };
const plaintext = 'sk_live_canary_4f1b 🔑 multi\nline';

function flipBit(buffer: Buffer, index = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[index % copy.length]! ^= 0x01;
  return copy;
}

describe('data-key cache: data keys kept with the sealed value they open', () => {
  /** The test keyring, counting its unwraps. */
  function countingKeyring() {
    const keyring = createTestKeyring();
    const counter = { unwraps: 0 };
    return {
      counter,
      keyring: {
        ...keyring,
        unwrap: (...args: Parameters<typeof keyring.unwrap>) => {
          counter.unwraps += 1;
          return keyring.unwrap(...args);
        },
      },
    };
  }

  it('unwraps the data key of one sealed value once, however often it is opened', async () => {
    const { keyring, counter } = countingKeyring();
    const cipher = createEnvelopeCipher({ keyring });
    const keys = createDataKeyCache({ cipher });
    const sealed = await cipher.seal(plaintext, context);
    for (let i = 0; i < 3; i += 1) await expect(keys.open(sealed, context)).resolves.toBe(plaintext);
    expect(counter.unwraps).toBe(1);
  });

  it('unwraps again for an equal copy: the key goes with the object, not its bytes', async () => {
    const { keyring, counter } = countingKeyring();
    const cipher = createEnvelopeCipher({ keyring });
    const keys = createDataKeyCache({ cipher });
    const sealed = await cipher.seal(plaintext, context);
    await keys.open(sealed, context);
    await expect(keys.open({ ...sealed }, context)).resolves.toBe(plaintext);
    expect(counter.unwraps).toBe(2);
  });

  it.each<[string, SealContext]>([
    ['another secret', { ...context, secretId: 'secret-b' }],
    ['another version', { ...context, version: 2 }],
    ['another workspace', { ...context, workspaceId: 'ws-2' }],
  ])('a kept key does not open the same object under %s', async (_label, other) => {
    const { keyring, counter } = countingKeyring();
    const cipher = createEnvelopeCipher({ keyring });
    const keys = createDataKeyCache({ cipher });
    const sealed = await cipher.seal(plaintext, context);
    await keys.open(sealed, context);
    await expect(keys.open(sealed, other)).rejects.toThrow(DomainError);
    expect(counter.unwraps).toBe(2);
    // And the refusal did not disturb the key kept for the right context.
    await expect(keys.open(sealed, context)).resolves.toBe(plaintext);
  });

  it('a kept key is not used once the object carries another wrapped key', async () => {
    const cipher = createEnvelopeCipher({ keyring: createTestKeyring() });
    const keys = createDataKeyCache({ cipher });
    const sealed = await cipher.seal(plaintext, context);
    await keys.open(sealed, context);
    sealed.wrappedKey = flipBit(sealed.wrappedKey, 3);
    await expect(keys.open(sealed, context)).rejects.toThrow(DomainError);
  });

  it('opens in the same turn only with a kept key, and still checks the value', async () => {
    const { keyring, counter } = countingKeyring();
    const cipher = createEnvelopeCipher({ keyring });
    const keys = createDataKeyCache({ cipher });
    const sealed = await cipher.seal(plaintext, context);
    expect(keys.openKept(sealed, context)).toBeUndefined();
    expect(counter.unwraps).toBe(0);
    await keys.open(sealed, context);
    expect(keys.openKept(sealed, context)).toBe(plaintext);
    expect(keys.openKept(sealed, { ...context, version: 2 })).toBeUndefined();
    sealed.tag = flipBit(sealed.tag, 5);
    expect(() => keys.openKept(sealed, context)).toThrow(DomainError);
    sealed.tag = flipBit(sealed.tag, 5);
    sealed.ciphertext = flipBit(sealed.ciphertext, 1);
    expect(() => keys.openKept(sealed, context)).toThrow(DomainError);
    expect(counter.unwraps).toBe(1);
  });
});
