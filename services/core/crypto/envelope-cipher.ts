import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decryptFailure, type Keyring } from './keyring.js';

/** What a sealed value is bound to: copying it to another row makes it undecryptable. */
export interface SealContext {
  workspaceId: string;
  secretId: string;
  version: number;
}

/** The stored form of one secret version. */
export interface SealedValue {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  wrappedKey: Buffer;
  keyId: string;
}

const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Additional authenticated data: a length-unambiguous encoding of the seal context. */
export function sealAad(context: SealContext, purpose: 'value' | 'data-key'): Buffer {
  return Buffer.from(
    JSON.stringify(['strongroom/v1', purpose, context.workspaceId, context.secretId, context.version]),
    'utf8',
  );
}

/**
 * Envelope encryption (SPEC §7): a fresh 256-bit data key per version seals the value
 * with AES-256-GCM; the keyring wraps the data key. Both layers carry the context as AAD.
 */
export function createEnvelopeCipher({ keyring }: { keyring: Keyring }) {
  return {
    async seal(plaintext: string, context: SealContext): Promise<SealedValue> {
      const dataKey = randomBytes(DATA_KEY_BYTES);
      try {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
        cipher.setAAD(sealAad(context, 'value'));
        const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
        const { keyId, wrappedKey } = await keyring.wrap(dataKey, sealAad(context, 'data-key'));
        return { ciphertext, iv, tag: cipher.getAuthTag(), wrappedKey, keyId };
      } finally {
        dataKey.fill(0);
      }
    },

    async open(sealed: SealedValue, context: SealContext): Promise<string> {
      const dataKey = await keyring.unwrap(
        { keyId: sealed.keyId, wrappedKey: sealed.wrappedKey },
        sealAad(context, 'data-key'),
      );
      try {
        if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw decryptFailure();
        const decipher = createDecipheriv('aes-256-gcm', dataKey, sealed.iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(sealAad(context, 'value'));
        decipher.setAuthTag(sealed.tag);
        try {
          return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
        } catch (error) {
          throw decryptFailure(error);
        }
      } finally {
        dataKey.fill(0);
      }
    },

    /** Re-wraps a data key under the keyring's active key without touching the value. */
    async rewrap(
      sealed: Pick<SealedValue, 'wrappedKey' | 'keyId'>,
      context: SealContext,
    ): Promise<Pick<SealedValue, 'wrappedKey' | 'keyId'>> {
      const aad = sealAad(context, 'data-key');
      const dataKey = await keyring.unwrap(sealed, aad);
      try {
        return await keyring.wrap(dataKey, aad);
      } finally {
        dataKey.fill(0);
      }
    },
  };
}

export type EnvelopeCipher = ReturnType<typeof createEnvelopeCipher>;
