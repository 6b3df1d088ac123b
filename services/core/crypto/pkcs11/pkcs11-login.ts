import { DomainError } from '../../../protocol/domain-error.js';
import { keyringUnavailable } from '../keyring-errors.js';
import { classifyPkcs11Failure, pkcs11ErrorName } from './pkcs11-errors.js';
import type { Pkcs11Api, Pkcs11Handle, Pkcs11Module } from './pkcs11-module.js';

const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;

/**
 * The token refused the PIN sent. It carries nothing of the PIN: errors are logged
 * with their own properties, and a wrong PIN is usually one typo from the right one.
 */
export class PinRefusedError extends DomainError {
  constructor(why: string, cause: unknown) {
    const said = keyringUnavailable('pkcs11', why);
    super(said.code, said.message, { details: said.details, cause });
  }
}

/** Reads the PIN for one login; a PIN that cannot be read is the provider being unavailable. */
export function readPinOnce(readPin: () => string): string {
  try {
    return readPin();
  } catch (error) {
    throw unavailable(`the PIN could not be read (${(error as Error).message})`, error);
  }
}

const unavailable = (why: string, cause?: unknown) => keyringUnavailable('pkcs11', why, cause);

function findSlot(api: Pkcs11Api, tokenLabel: string, libraryPath: string): Pkcs11Handle {
  for (const slot of api.C_GetSlotList(true)) {
    if (api.C_GetTokenInfo(slot).label.trim() === tokenLabel) return slot;
  }
  throw unavailable(`no token labelled "${tokenLabel}" is present in ${libraryPath}`);
}

/**
 * Finds the token by label, opens a session and logs in as the user (a login already
 * made by this application counts). On failure the session is closed and the error is
 * UNAVAILABLE, saying why; a refused PIN is a PinRefusedError, so that the caller, who
 * knows which PIN it passed, never sends that one again.
 */
export function openLoggedInSession(
  module: Pkcs11Module,
  tokenLabel: string,
  pin: string,
): { slot: Pkcs11Handle; session: Pkcs11Handle } {
  const { api, ck, libraryPath } = module;
  let session: Pkcs11Handle | undefined;
  try {
    let slot: Pkcs11Handle;
    try {
      slot = findSlot(api, tokenLabel, libraryPath);
    } catch {
      // A token that went away and came back, or a library finalised under us, is
      // seen again only after the library looks at its slots afresh.
      module.reinitialize();
      slot = findSlot(api, tokenLabel, libraryPath);
    }
    session = api.C_OpenSession(slot, ck.CKF_SERIAL_SESSION);
    try {
      api.C_Login(session, ck.CKU_USER, pin);
    } catch (error) {
      if ((error as { code?: unknown }).code !== ck.CKR_USER_ALREADY_LOGGED_IN) {
        if (classifyPkcs11Failure(ck, error) !== 'pin') throw error;
        throw new PinRefusedError(
          `token "${tokenLabel}" refused the PIN (${pkcs11ErrorName(error)}); correct STRONGROOM_PKCS11_PIN_FILE`,
          error,
        );
      }
    }
    return { slot, session };
  } catch (error) {
    if (session) {
      try {
        api.C_CloseSession(session);
      } catch {
        // The session is going anyway.
      }
    }
    if (error instanceof DomainError) throw error;
    throw unavailable(`token "${tokenLabel}" could not be opened (${pkcs11ErrorName(error)})`, error);
  }
}

/** True when a session is logged in as the user (a token that lost its login is not). */
export function sessionIsLoggedIn({ api, handle }: { api: Pkcs11Api; handle: Pkcs11Handle }): boolean {
  const { state } = api.C_GetSessionInfo(handle);
  return state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS;
}
