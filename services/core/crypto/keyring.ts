import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { DomainError } from '../../protocol/domain-error.js';
import { keyContextAad, type KeyContext } from './key-context.js';

/** A wrapped data key and the id of the key-encryption key that wrapped it. */
export interface WrappedDataKey {
  keyId: string;
  wrappedKey: Buffer;
}

/** Where master keys live (`STRONGROOM_KEYRING`). */
export type KeyringProvider = 'file' | 'pkcs11' | 'aws-kms';

/**
 * Wraps and unwraps data keys with master keys (key-encryption keys). The local
 * keyring below holds keys in memory; the PKCS#11 and AWS KMS keyrings implement the
 * same interface and never let the master key leave the HSM or KMS.
 *
 * Key ids say which provider wrapped a key: a file keyring's ids are bare
 * (`k-20250101T000000Z-1a2b3c`, no colon), the others carry a prefix
 * (`pkcs11:<label>`, `kms:<key id>`), so an unwrap goes to the keyring that owns it.
 */
export interface Keyring {
  /** The provider that wraps new data keys. */
  readonly provider: KeyringProvider;
  /** The id new data keys are wrapped with. */
  activeKeyId(): string;
  /** The key ids this keyring knows it holds (a KMS keyring: its configured key). */
  keyIds(): string[];
  /** Whether a data key wrapped under `keyId` is this keyring's to unwrap. */
  owns(keyId: string): boolean;
  wrap(dataKey: Buffer, context: KeyContext): Promise<WrappedDataKey>;
  unwrap(wrapped: WrappedDataKey, context: KeyContext): Promise<Buffer>;
  /**
   * Resolves when the provider answers and can wrap with its active key; rejects with
   * an UNAVAILABLE DomainError saying why not (readiness, `keys status`).
   */
  check(): Promise<void>;
  /** Lets go of sessions, connections and the like. */
  close(): Promise<void>;
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
    provider: 'file',
    activeKeyId: () => source().activeKeyId,
    keyIds: () => source().keys.map((k) => k.id),
    owns: (keyId) => !keyId.includes(':'),
    async wrap(dataKey, context) {
      const aad = keyContextAad(context);
      const keyId = source().activeKeyId;
      const kek = lookup(keyId);
      if (!kek) throw new DomainError('INTERNAL', 'The active master key is missing from the keyring.');
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return { keyId, wrappedKey: Buffer.concat([iv, cipher.getAuthTag(), body]) };
    },
    async unwrap({ keyId, wrappedKey }, context) {
      const aad = keyContextAad(context);
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
    async check() {
      if (!lookup(source().activeKeyId)) {
        throw new DomainError('UNAVAILABLE', 'The active master key is missing from the keyring file.', {
          details: { retryable: true, reason: 'KEYRING_UNAVAILABLE' },
        });
      }
    },
    async close() {},
  };
}

export const decryptFailure = (cause?: unknown): DomainError =>
  new DomainError('INTERNAL', 'A stored value failed its integrity check and was not decrypted.', { cause });
