import type { Pkcs11Binding } from './pkcs11-module.js';

/**
 * What a PKCS#11 failure means for the keyring:
 * - `pin`: the token refused the PIN. Never retried with the same PIN: a real HSM
 *   locks the user after a few wrong tries.
 * - `connection`: the library, slot, token or session went away (token removed, HSM
 *   restarted, library unloaded); the sessions are dropped and opened again later.
 * - `data`: the token refused this input (a tag that does not verify, bad length);
 *   a damaged or misplaced value, the token is fine.
 * - `other`: anything else (a mechanism not supported, a key not allowed to encrypt).
 */
export type Pkcs11FailureKind = 'pin' | 'connection' | 'data' | 'other';

/** CKR_AEAD_DECRYPT_FAILED (PKCS#11 3.0), which the 2.40 binding has no name for. */
const CKR_AEAD_DECRYPT_FAILED = 0x35;

export function classifyPkcs11Failure(ck: Pkcs11Binding, error: unknown): Pkcs11FailureKind {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'number') {
    // A NativeError without a CKR: the library could not be loaded or called.
    return 'connection';
  }
  switch (code) {
    case ck.CKR_PIN_INCORRECT:
    case ck.CKR_PIN_LOCKED:
    case ck.CKR_PIN_EXPIRED:
    case ck.CKR_PIN_INVALID:
    case ck.CKR_PIN_LEN_RANGE:
    case ck.CKR_USER_PIN_NOT_INITIALIZED:
      return 'pin';
    case ck.CKR_CRYPTOKI_NOT_INITIALIZED:
    case ck.CKR_DEVICE_ERROR:
    case ck.CKR_DEVICE_MEMORY:
    case ck.CKR_DEVICE_REMOVED:
    case ck.CKR_TOKEN_NOT_PRESENT:
    case ck.CKR_TOKEN_NOT_RECOGNIZED:
    case ck.CKR_SESSION_CLOSED:
    case ck.CKR_SESSION_HANDLE_INVALID:
    case ck.CKR_SESSION_COUNT:
    case ck.CKR_USER_NOT_LOGGED_IN:
    case ck.CKR_KEY_HANDLE_INVALID:
    case ck.CKR_OBJECT_HANDLE_INVALID:
    case ck.CKR_SLOT_ID_INVALID:
    case ck.CKR_FUNCTION_FAILED:
    case ck.CKR_HOST_MEMORY:
      return 'connection';
    case ck.CKR_ENCRYPTED_DATA_INVALID:
    case ck.CKR_ENCRYPTED_DATA_LEN_RANGE:
    case CKR_AEAD_DECRYPT_FAILED:
      return 'data';
    default:
      return 'other';
  }
}

/** The CKR name of a PKCS#11 error (`CKR_PIN_INCORRECT`), safe to log and show. */
export function pkcs11ErrorName(error: unknown): string {
  const message = (error as { message?: unknown })?.message;
  if (typeof message === 'string') {
    const name = /CKR_[A-Z_]+/.exec(message)?.[0];
    if (name) return name;
    return message.slice(0, 200);
  }
  return 'an unknown error';
}
