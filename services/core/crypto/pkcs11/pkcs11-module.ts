import type * as Pkcs11Types from 'pkcs11js';

/** pkcs11js: the binding's functions and its CK* constants. */
export type Pkcs11Binding = typeof Pkcs11Types;
export type Pkcs11Api = InstanceType<Pkcs11Binding['PKCS11']>;
export type Pkcs11Handle = Buffer;

/** A PKCS#11 library loaded and initialised in this process. */
export interface Pkcs11Module {
  api: Pkcs11Api;
  ck: Pkcs11Binding;
  libraryPath: string;
  /**
   * C_Finalize then C_Initialize: the library forgets every session of this process
   * and looks at its slots afresh (a token that came back, one created since).
   */
  reinitialize(): void;
  /** Gives this holder's share back; the last one finalises and unloads the library. */
  release(): void;
}

interface Loaded {
  api: Pkcs11Api;
  ck: Pkcs11Binding;
  holders: number;
}

/**
 * A PKCS#11 library is initialised once per process (a second C_Initialize answers
 * CKR_CRYPTOKI_ALREADY_INITIALIZED, and C_Finalize ends every session of the process),
 * so keyrings on the same library share one load, counted. The last release finalises
 * it: the next acquire loads it afresh, which is how a keyring recovers from a library
 * that went away (C_Initialize failed, CKR_CRYPTOKI_NOT_INITIALIZED).
 */
const loaded = new Map<string, Loaded>();

let binding: Promise<Pkcs11Binding> | undefined;

/** The native binding, loaded the first time a PKCS#11 keyring is used (never for `file`). */
function loadBinding(): Promise<Pkcs11Binding> {
  binding ??= import('pkcs11js').then(
    (m) => ((m as { default?: Pkcs11Binding }).default ?? m) as Pkcs11Binding,
  );
  return binding;
}

/** Loads and initialises the library at `libraryPath`, or shares the load already made. */
export async function acquirePkcs11Module(libraryPath: string): Promise<Pkcs11Module> {
  const ck = await loadBinding();
  let entry = loaded.get(libraryPath);
  if (!entry) {
    const api = new ck.PKCS11();
    api.load(libraryPath);
    try {
      initialize(api, ck);
    } catch (error) {
      api.close();
      throw error;
    }
    entry = { api, ck, holders: 0 };
    loaded.set(libraryPath, entry);
  }
  entry.holders += 1;
  const held = entry;
  let released = false;
  return {
    api: held.api,
    ck,
    libraryPath,
    reinitialize() {
      try {
        held.api.C_Finalize();
      } catch {
        // Not initialised (someone finalised it): initialising is all that is left.
      }
      initialize(held.api, ck);
    },
    release() {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (held.holders > 0 || loaded.get(libraryPath) !== held) return;
      loaded.delete(libraryPath);
      try {
        held.api.C_Finalize();
      } catch {
        // Already finalised or gone: there is nothing left to end.
      }
      try {
        held.api.close();
      } catch {
        // The library could not be unloaded; the next acquire loads a fresh handle.
      }
    },
  };
}

/** C_Initialize, taking "already initialised" (by another load of the same library) as done. */
function initialize(api: Pkcs11Api, ck: Pkcs11Binding): void {
  try {
    // The binding calls the library from libuv's worker threads: it must lock itself.
    api.C_Initialize({ flags: ck.CKF_OS_LOCKING_OK });
  } catch (error) {
    if ((error as { code?: number }).code !== ck.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw error;
  }
}
