import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { DomainError } from '../../protocol/domain-error.js';

/** A wrapped data key and the id of the key-encryption key that wrapped it. */
export interface WrappedDataKey {
  keyId: string;
  wrappedKey: Buffer;
}

/**
 * Wraps and unwraps data keys with master keys (key-encryption keys). The local
 * implementation below holds keys in memory; a KMS-backed provider implements the
 * same interface and never lets the master key leave the KMS.
 */
export interface Keyring {
  /** The id new data keys are wrapped with. */
  activeKeyId(): string;
  keyIds(): string[];
  wrap(dataKey: Buffer, aad: Buffer): Promise<WrappedDataKey>;
  unwrap(wrapped: WrappedDataKey, aad: Buffer): Promise<Buffer>;
}

export interface MasterKey {
  id: string;
  key: Buffer;
}

export const MASTER_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks a set of master keys: ids well-formed and distinct, keys exactly 256 bits, the active one present. */
export function validateMasterKeys(keys: MasterKey[], activeKeyId: string): void {
  if (keys.length === 0) throw new Error('the keyring holds no key');
  const seen = new Set<string>();
  for (const { id, key } of keys) {
    if (!KEY_ID_PATTERN.test(id)) throw new Error(`key id "${id}" must match ${KEY_ID_PATTERN.source}`);
    if (seen.has(id)) throw new Error(`key id "${id}" appears twice`);
    if (key.length !== MASTER_KEY_BYTES)
      throw new Error(`key "${id}" must be 32 bytes (256 bits), got ${key.length}`);
    seen.add(id);
  }
  if (!seen.has(activeKeyId)) throw new Error(`the active key "${activeKeyId}" is not in the keyring`);
}

/**
 * A keyring over master keys held in this process. Wrapping is AES-256-GCM with a
 * random IV; the wrapped form is IV ‖ tag ‖ ciphertext, and the AAD binds the data
 * key to the secret version it belongs to.
 */
export function createLocalKeyring(source: () => { keys: MasterKey[]; activeKeyId: string }): Keyring {
  // Each master key as a KeyObject, made once per key: OpenSSL then skips importing the
  // raw key on every unwrap. Keyed by the key's buffer, so a reloaded keyring brings its own.
  const keyObjects = new WeakMap<Buffer, KeyObject>();
  const lookup = (id: string): KeyObject | undefined => {
    const raw = source().keys.find((k) => k.id === id)?.key;
    if (!raw) return undefined;
    let key = keyObjects.get(raw);
    if (!key) keyObjects.set(raw, (key = createSecretKey(raw)));
    return key;
  };
  return {
    activeKeyId: () => source().activeKeyId,
    keyIds: () => source().keys.map((k) => k.id),
    async wrap(dataKey, aad) {
      const keyId = source().activeKeyId;
      const kek = lookup(keyId);
      if (!kek) throw new DomainError('INTERNAL', 'The active master key is missing from the keyring.');
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return { keyId, wrappedKey: Buffer.concat([iv, cipher.getAuthTag(), body]) };
    },
    async unwrap({ keyId, wrappedKey }, aad) {
      const kek = lookup(keyId);
      if (!kek) {
        throw new DomainError(
          'INTERNAL',
          `Master key "${keyId}" is not in the keyring; load it to decrypt.`,
          {
            details: { keyId },
          },
        );
      }
      if (wrappedKey.length < IV_BYTES + TAG_BYTES + 1) throw decryptFailure();
      const decipher = createDecipheriv('aes-256-gcm', kek, wrappedKey.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aad);
      decipher.setAuthTag(wrappedKey.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(wrappedKey.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch (error) {
        throw decryptFailure(error);
      }
    },
  };
}

export const decryptFailure = (cause?: unknown): DomainError =>
  new DomainError('INTERNAL', 'A stored value failed its integrity check and was not decrypted.', { cause });
