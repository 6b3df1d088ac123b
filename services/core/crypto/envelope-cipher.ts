import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { dataKeyContext, keyContextAad, type KeyContext, type SecretBinding } from './key-context.js';
import { decryptFailure, type Keyring } from './keyring.js';

/** What a sealed value is bound to: copying it to another row makes it undecryptable. */
export type SealContext = SecretBinding;

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

/**
 * Additional authenticated data: a length-unambiguous encoding of the seal context.
 * The data key's is the keyring's own (`keyContextAad`), the same bytes as ever.
 */
export function sealAad(context: SealContext, purpose: 'value' | 'data-key'): Buffer {
  if (purpose === 'data-key') return keyContextAad(dataKeyContext(context));
  return Buffer.from(
    JSON.stringify(['strongroom/v1', purpose, context.workspaceId, context.secretId, context.version]),
    'utf8',
  );
}

/** A data key unwrapped for one sealed value in one context, and that context's value AAD. */
interface OpenedKey extends SealContext {
  keyId: string;
  wrappedKey: Buffer;
  key: KeyObject;
  valueAad: Buffer;
}

/**
 * Envelope encryption (SPEC §7): a fresh 256-bit data key per version seals the value
 * with AES-256-GCM; the keyring wraps the data key. Both layers carry the context as AAD.
 */
export function createEnvelopeCipher({ keyring }: { keyring: Keyring }) {
  // The data key of a sealed value, unwrapped once for as long as this process holds
  // that very object (the resolver keeps a candidate until its workspace moves, or for
  // 30 s and then until the next call or sweep, 5 s at most), and only for the context
  // it was unwrapped under. Keyed by the object, so the key goes when the sealed value
  // does; a sealed value read afresh is unwrapped afresh. Holding it exposes nothing
  // new: this process holds the master key and the sealed value already. The key lives
  // in a KeyObject, outside the JavaScript heap.
  const openedKeys = new WeakMap<SealedValue, OpenedKey>();

  /** The kept data key of `sealed` for `context`, if one is kept. */
  function keptOpening(sealed: SealedValue, context: SealContext): OpenedKey | undefined {
    const kept = openedKeys.get(sealed);
    return kept &&
      kept.keyId === sealed.keyId &&
      kept.wrappedKey === sealed.wrappedKey &&
      kept.workspaceId === context.workspaceId &&
      kept.secretId === context.secretId &&
      kept.version === context.version
      ? kept
      : undefined;
  }

  /** Unwraps the data key of `sealed` and keeps it with the object. */
  async function unwrapOpening(sealed: SealedValue, context: SealContext): Promise<OpenedKey> {
    const dataKey = await keyring.unwrap(
      { keyId: sealed.keyId, wrappedKey: sealed.wrappedKey },
      dataKeyContext(context),
    );
    try {
      const opened: OpenedKey = {
        keyId: sealed.keyId,
        wrappedKey: sealed.wrappedKey,
        workspaceId: context.workspaceId,
        secretId: context.secretId,
        version: context.version,
        key: createSecretKey(dataKey),
        valueAad: sealAad(context, 'value'),
      };
      openedKeys.set(sealed, opened);
      return opened;
    } finally {
      dataKey.fill(0);
    }
  }

  /** The value of `sealed`, decrypted and checked against its AAD. */
  function decrypt(sealed: SealedValue, { key, valueAad }: OpenedKey): string {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(valueAad);
    decipher.setAuthTag(sealed.tag);
    try {
      const value = decipher.update(sealed.ciphertext);
      // GCM's final() adds no bytes; it checks the tag.
      decipher.final();
      return value.toString('utf8');
    } catch (error) {
      throw decryptFailure(error);
    }
  }

  /**
   * The value of `sealed`, decrypted now if its data key is kept for `context`;
   * undefined if it is not (then `open` unwraps it). Throws when the value fails its
   * integrity check. A resolve opens its values in the turn it is served, without a
   * promise per value.
   */
  function openKept(sealed: SealedValue, context: SealContext): string | undefined {
    if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw decryptFailure();
    const kept = keptOpening(sealed, context);
    return kept && decrypt(sealed, kept);
  }

  return {
    async seal(plaintext: string, context: SealContext): Promise<SealedValue> {
      const dataKey = randomBytes(DATA_KEY_BYTES);
      try {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
        cipher.setAAD(sealAad(context, 'value'));
        const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
        const { keyId, wrappedKey } = await keyring.wrap(dataKey, dataKeyContext(context));
        return { ciphertext, iv, tag: cipher.getAuthTag(), wrappedKey, keyId };
      } finally {
        dataKey.fill(0);
      }
    },

    /** The value of `sealed`, its data key unwrapped first unless one is kept. */
    open(sealed: SealedValue, context: SealContext): Promise<string> {
      let value: string | undefined;
      try {
        value = openKept(sealed, context);
      } catch (error) {
        return Promise.reject(error);
      }
      if (value !== undefined) return Promise.resolve(value);
      return unwrapOpening(sealed, context).then((opened) => decrypt(sealed, opened));
    },

    openKept,

    /** Re-wraps a data key under the keyring's active key without touching the value. */
    async rewrap(
      sealed: Pick<SealedValue, 'wrappedKey' | 'keyId'>,
      context: SealContext,
    ): Promise<Pick<SealedValue, 'wrappedKey' | 'keyId'>> {
      return rewrapKey(keyring, sealed, dataKeyContext(context));
    },
  };
}

export type EnvelopeCipher = ReturnType<typeof createEnvelopeCipher>;

/**
 * Moves a wrapped key to `keyring`'s active key under the same context: unwrapped by
 * whichever keyring owns its key id, wrapped by the active one, zeroed in between.
 */
export async function rewrapKey(
  keyring: Pick<Keyring, 'wrap' | 'unwrap'>,
  wrapped: Pick<SealedValue, 'wrappedKey' | 'keyId'>,
  context: KeyContext,
): Promise<Pick<SealedValue, 'wrappedKey' | 'keyId'>> {
  const key = await keyring.unwrap(wrapped, context);
  try {
    return await keyring.wrap(key, context);
  } finally {
    key.fill(0);
  }
}
