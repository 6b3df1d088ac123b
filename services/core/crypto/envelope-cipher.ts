import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { SealedValue } from '../../storage/sealed-value.js';
import { dataKeyContext, keyContextAad, type KeyContext, type SecretBinding } from './key-context.js';
import { decryptFailure, type Keyring } from './keyring.js';

export type { SealedValue };

/**
 * What a sealed value is bound to: copying it to another row makes it undecryptable.
 * `scope` and `ownerId` are bound too when given (binding 2, every value written by the
 * services); a value sealed without them (binding 1, values written before §8.1) binds
 * workspace, secret and version only, until `keys rewrap` re-seals it.
 */
export interface SealContext extends SecretBinding {
  scope?: string;
  ownerId?: string;
}

/** The binding a value sealed in `context` gets. */
const bindingOf = (context: SealContext): number =>
  context.scope !== undefined && context.ownerId !== undefined ? 2 : 1;

const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The data key's context under `binding`: binding 2 adds scope and owner as extra
 * bindings, which every keyring provider binds (AAD, KMS encryption context).
 */
export function keyContextOf(context: SealContext, binding: number): KeyContext {
  const base = dataKeyContext(context);
  if (binding === 1) return base;
  return { ...base, extra: { scope: context.scope ?? '', ownerId: context.ownerId ?? '' } };
}

/**
 * Additional authenticated data: a length-unambiguous encoding of the seal context.
 * The data key's is the keyring's own (`keyContextAad`), the same bytes as ever for
 * binding 1.
 */
export function sealAad(context: SealContext, purpose: 'value' | 'data-key', binding = 1): Buffer {
  if (purpose === 'data-key') return keyContextAad(keyContextOf(context, binding));
  const fields: unknown[] =
    binding === 1
      ? ['strongroom/v1', purpose, context.workspaceId, context.secretId, context.version]
      : [
          'strongroom/v2',
          purpose,
          context.workspaceId,
          context.secretId,
          context.version,
          context.scope ?? '',
          context.ownerId ?? '',
        ];
  return Buffer.from(JSON.stringify(fields), 'utf8');
}

/**
 * A data key unwrapped for one sealed value in one context, with that context's value
 * AAD: what decrypting the value needs. It lives in a KeyObject, outside the JavaScript
 * heap. Whoever keeps one (the resolver's data-key cache) decides for how long.
 */
export interface OpenedDataKey extends SealContext {
  keyId: string;
  wrappedKey: Buffer;
  key: KeyObject;
  valueAad: Buffer;
}

/**
 * Envelope encryption (SPEC §7): a fresh 256-bit data key per version seals the value
 * with AES-256-GCM; the keyring wraps the data key. Both layers carry the context as
 * AAD. The cipher keeps nothing between calls.
 */
export function createEnvelopeCipher({ keyring }: { keyring: Keyring }) {
  /** Seals `plaintext` under a fresh data key, bound to `context` (binding 2 when it names scope and owner). */
  async function seal(plaintext: string, context: SealContext): Promise<SealedValue> {
    const binding = bindingOf(context);
    const dataKey = randomBytes(DATA_KEY_BYTES);
    try {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(sealAad(context, 'value', binding));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const { keyId, wrappedKey } = await keyring.wrap(dataKey, keyContextOf(context, binding));
      return { ciphertext, iv, tag: cipher.getAuthTag(), wrappedKey, keyId, binding };
    } finally {
      dataKey.fill(0);
    }
  }

  /** Unwraps the data key of `sealed` for `context`, under the binding `sealed` was written with. */
  async function unwrapDataKey(sealed: SealedValue, context: SealContext): Promise<OpenedDataKey> {
    if (sealed.binding === 2 && bindingOf(context) !== 2) throw decryptFailure();
    const dataKey = await keyring.unwrap(
      { keyId: sealed.keyId, wrappedKey: sealed.wrappedKey },
      keyContextOf(context, sealed.binding),
    );
    try {
      return {
        keyId: sealed.keyId,
        wrappedKey: sealed.wrappedKey,
        workspaceId: context.workspaceId,
        secretId: context.secretId,
        version: context.version,
        scope: context.scope,
        ownerId: context.ownerId,
        key: createSecretKey(dataKey),
        valueAad: sealAad(context, 'value', sealed.binding),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  /** The value of `sealed`, decrypted with its opened data key and checked against its AAD. */
  function decryptWith(sealed: SealedValue, { key, valueAad }: OpenedDataKey): string {
    if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw decryptFailure();
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

  return {
    seal,

    unwrapDataKey,
    decryptWith,

    /** The value of `sealed`: its data key unwrapped, used once and dropped. */
    async open(sealed: SealedValue, context: SealContext): Promise<string> {
      if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw decryptFailure();
      return decryptWith(sealed, await unwrapDataKey(sealed, context));
    },

    /** Re-wraps a data key under the keyring's active key without touching the value. */
    async rewrap(
      sealed: Pick<SealedValue, 'wrappedKey' | 'keyId' | 'binding'>,
      context: SealContext,
    ): Promise<Pick<SealedValue, 'wrappedKey' | 'keyId'>> {
      return rewrapKey(keyring, sealed, keyContextOf(context, sealed.binding));
    },

    /**
     * Seals the value of `sealed` again under a fresh data key and the active master
     * key, bound to scope and owner as well (binding 2): how `keys rewrap` upgrades a
     * value written before §8.1. `context` must name scope and owner.
     */
    async reseal(sealed: SealedValue, context: Required<SealContext>): Promise<SealedValue> {
      return seal(decryptWith(sealed, await unwrapDataKey(sealed, context)), context);
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
