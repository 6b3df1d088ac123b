import type { SealedValue } from '../../storage/sealed-value.js';
import type { EnvelopeCipher, OpenedDataKey, SealContext } from '../crypto/envelope-cipher.js';

/**
 * The resolver's unwrapped data keys, each kept with the sealed value it opens for as
 * long as this process holds that very object: the candidate cache keeps a candidate
 * until its workspace moves, or for 30 s and then until the next call or sweep (5 s at
 * most), so a data key lives no longer than the candidate it belongs to, and a keyring
 * (or an HSM or KMS behind it) is asked once per cache fill, not per call. Keyed by the
 * object, so the key goes when the sealed value does; a sealed value read afresh is
 * unwrapped afresh. A kept key opens its value only in the context it was unwrapped
 * for. Holding it exposes nothing new: this process holds the master key and the
 * sealed value already.
 */
export function createDataKeyCache({
  cipher,
}: {
  cipher: Pick<EnvelopeCipher, 'unwrapDataKey' | 'decryptWith'>;
}) {
  const opened = new WeakMap<SealedValue, OpenedDataKey>();

  /** The kept data key of `sealed` for `context`, if one is kept. */
  function keptKey(sealed: SealedValue, context: SealContext): OpenedDataKey | undefined {
    const kept = opened.get(sealed);
    return kept &&
      kept.keyId === sealed.keyId &&
      kept.wrappedKey === sealed.wrappedKey &&
      kept.workspaceId === context.workspaceId &&
      kept.secretId === context.secretId &&
      kept.version === context.version &&
      kept.scope === context.scope &&
      kept.ownerId === context.ownerId
      ? kept
      : undefined;
  }

  /**
   * The value of `sealed`, decrypted now if its data key is kept for `context`;
   * undefined if it is not (then `open` unwraps it). Throws when the value fails its
   * integrity check. A resolve opens its values in the turn it is served, without a
   * promise per value.
   */
  function openKept(sealed: SealedValue, context: SealContext): string | undefined {
    const kept = keptKey(sealed, context);
    return kept && cipher.decryptWith(sealed, kept);
  }

  return {
    openKept,

    /** The value of `sealed`, its data key unwrapped (and kept) first unless one is kept. */
    open(sealed: SealedValue, context: SealContext): Promise<string> {
      let value: string | undefined;
      try {
        value = openKept(sealed, context);
      } catch (error) {
        return Promise.reject(error);
      }
      if (value !== undefined) return Promise.resolve(value);
      return cipher.unwrapDataKey(sealed, context).then((key) => {
        opened.set(sealed, key);
        return cipher.decryptWith(sealed, key);
      });
    },
  };
}

export type DataKeyCache = ReturnType<typeof createDataKeyCache>;
