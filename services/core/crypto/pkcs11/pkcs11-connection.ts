import { createHash } from 'node:crypto';
import { DomainError } from '../../../protocol/domain-error.js';
import { keyringUnavailable } from '../keyring-errors.js';
import { classifyPkcs11Failure, pkcs11ErrorName } from './pkcs11-errors.js';
import { openLoggedInSession, PinRefusedError, readPinOnce } from './pkcs11-login.js';
import {
  acquirePkcs11Module,
  type Pkcs11Api,
  type Pkcs11Binding,
  type Pkcs11Handle,
  type Pkcs11Module,
} from './pkcs11-module.js';

/** Where the token is and how to log in to it. */
export interface Pkcs11ConnectionOptions {
  libraryPath: string;
  tokenLabel: string;
  /** Read at every login, so a corrected PIN file is picked up without a restart. */
  readPin: () => string;
  /** Sessions kept open: at most this many operations run on the token at once. */
  sessions: number;
  /** An operation (waiting for a session included) that takes longer fails UNAVAILABLE. */
  operationTimeoutMs?: number;
  /** After a failure, how long calls fail fast before the token is tried again. */
  retryAfterMs?: number;
}

/** One session lent to one operation, and what it may use. */
export interface Pkcs11Session {
  api: Pkcs11Api;
  ck: Pkcs11Binding;
  handle: Pkcs11Handle;
  slot: Pkcs11Handle;
  /** Per-connection memory of found objects (key handles), dropped with the connection. */
  cache: Map<string, Pkcs11Handle>;
}

/** A logged-in connection to one token with a pool of sessions. */
export interface Pkcs11Connection {
  /**
   * Runs `work` on a session of its own: PKCS#11 sessions are not safe for two
   * operations at once, so each operation holds one until it finishes.
   */
  withSession<T>(work: (session: Pkcs11Session) => Promise<T> | T): Promise<T>;
  /** Drops the sessions and logs in again on the next call (the token was found changed). */
  reset(why: string, cause?: unknown): void;
  close(): Promise<void>;
}

interface Live {
  module: Pkcs11Module;
  slot: Pkcs11Handle;
  idle: Pkcs11Handle[];
  opened: number;
  inFlight: number;
  broken: boolean;
  waiting: Array<(session: Pkcs11Handle) => void>;
  cache: Map<string, Pkcs11Handle>;
}

interface Failure {
  error: DomainError;
  at: number;
  /** For a refused PIN: a hash of it, so the same PIN is never sent twice. */
  refusedPin?: string;
}

const pinHash = (pin: string): string => createHash('sha256').update(pin).digest('hex');

/**
 * Opens sessions lazily up to `sessions`, logs in once (PKCS#11 login is per
 * application and token, shared by its sessions), and on a lost token drops every
 * session and starts over — waiting `retryAfterMs` between tries, and never sending a
 * PIN the token has already refused.
 */
export function createPkcs11Connection(options: Pkcs11ConnectionOptions): Pkcs11Connection {
  const { libraryPath, tokenLabel, readPin, sessions } = options;
  const operationTimeoutMs = options.operationTimeoutMs ?? 5_000;
  const retryAfterMs = options.retryAfterMs ?? 1_000;
  let live: Promise<Live> | undefined;
  let failure: Failure | undefined;
  let closed = false;

  const unavailable = (why: string, cause?: unknown) => keyringUnavailable('pkcs11', why, cause);

  async function connect(): Promise<Live> {
    let module: Pkcs11Module;
    try {
      module = await acquirePkcs11Module(libraryPath);
    } catch (error) {
      throw unavailable(
        `the PKCS#11 library ${libraryPath} could not be loaded (${pkcs11ErrorName(error)})`,
        error,
      );
    }
    let pin: string | undefined;
    try {
      pin = readPinOnce(readPin);
      const { slot, session } = openLoggedInSession(module, tokenLabel, pin);
      const conn: Live = {
        module,
        slot,
        idle: [session],
        opened: 1,
        inFlight: 0,
        broken: false,
        waiting: [],
        cache: new Map(),
      };
      return conn;
    } catch (error) {
      module.release();
      if (error instanceof PinRefusedError && pin !== undefined) {
        failure = { error, at: Date.now(), refusedPin: pinHash(pin) };
      }
      throw error;
    }
  }

  /** The live connection, connecting (again) when there is none and a try is due. */
  function current(): Promise<Live> {
    if (closed) return Promise.reject(unavailable('the keyring is closed'));
    if (live) return live;
    if (failure) {
      const pinUnchanged =
        failure.refusedPin !== undefined &&
        (() => {
          try {
            return pinHash(readPin()) === failure.refusedPin;
          } catch {
            return true;
          }
        })();
      if (pinUnchanged || Date.now() - failure.at < retryAfterMs) return Promise.reject(failure.error);
    }
    const attempt = connect().then(
      (connected) => {
        failure = undefined;
        return connected;
      },
      (error: DomainError) => {
        if (live === attempt) live = undefined;
        if (!failure || failure.error !== error) failure = { error, at: Date.now() };
        throw error;
      },
    );
    live = attempt;
    return attempt;
  }

  /** Closes what is idle; sessions still lent out are closed when they come back. */
  function teardown(conn: Live): void {
    if (conn.inFlight > 0) return;
    for (const handle of conn.idle.splice(0)) {
      try {
        conn.module.api.C_CloseSession(handle);
      } catch {
        // Already gone with the token.
      }
    }
    conn.module.release();
  }

  function breakConnection(conn: Live, error: DomainError): void {
    if (conn.broken) return;
    conn.broken = true;
    conn.cache.clear();
    failure = { error, at: Date.now() };
    if (live) {
      void live.then((current) => {
        if (current === conn) live = undefined;
      });
    }
    for (const wake of conn.waiting.splice(0)) wake(Buffer.alloc(0));
    teardown(conn);
  }

  async function acquire(conn: Live): Promise<Pkcs11Handle> {
    const idle = conn.idle.pop();
    if (idle) return idle;
    if (conn.opened < sessions) {
      conn.opened += 1;
      try {
        return conn.module.api.C_OpenSession(conn.slot, conn.module.ck.CKF_SERIAL_SESSION);
      } catch (error) {
        conn.opened -= 1;
        throw error;
      }
    }
    return new Promise((resolve) => conn.waiting.push(resolve));
  }

  function giveBack(conn: Live, handle: Pkcs11Handle): void {
    if (conn.broken) {
      try {
        conn.module.api.C_CloseSession(handle);
      } catch {
        // Gone with the token.
      }
      return;
    }
    const next = conn.waiting.shift();
    if (next) next(handle);
    else conn.idle.push(handle);
  }

  async function run<T>(work: (session: Pkcs11Session) => Promise<T> | T, gaveUp: () => boolean): Promise<T> {
    const conn = await current();
    conn.inFlight += 1;
    let handle: Pkcs11Handle | undefined;
    try {
      handle = await acquire(conn);
      if (conn.broken || handle.length === 0) throw failure?.error ?? unavailable('the token went away');
      // The caller stopped waiting for a session: its operation is not run late.
      if (gaveUp()) throw unavailable('no session was free in time');
      const { api, ck } = conn.module;
      return await work({ api, ck, handle, slot: conn.slot, cache: conn.cache });
    } catch (error) {
      const kind = error instanceof DomainError ? 'domain' : classifyPkcs11Failure(conn.module.ck, error);
      if (kind === 'connection' || kind === 'pin') {
        const lost = unavailable(
          `token "${tokenLabel}" stopped answering (${pkcs11ErrorName(error)})`,
          error,
        );
        breakConnection(conn, lost);
        throw lost;
      }
      if (kind === 'domain' || kind === 'data') throw error;
      throw new DomainError(
        'INTERNAL',
        `Token "${tokenLabel}" refused the operation (${pkcs11ErrorName(error)}).`,
        {
          cause: error,
        },
      );
    } finally {
      conn.inFlight -= 1;
      if (handle && handle.length > 0) giveBack(conn, handle);
      if (conn.broken) teardown(conn);
    }
  }

  return {
    withSession<T>(work: (session: Pkcs11Session) => Promise<T> | T): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(unavailable(`token "${tokenLabel}" did not answer within ${operationTimeoutMs} ms`));
        }, operationTimeoutMs);
      });
      return Promise.race([run(work, () => timedOut), timeout]).finally(() => clearTimeout(timer));
    },
    reset(why, cause) {
      void live?.then(
        (conn) => breakConnection(conn, unavailable(why, cause)),
        () => undefined,
      );
    },
    async close() {
      closed = true;
      const conn = await live?.catch(() => undefined);
      if (conn && !conn.broken) {
        conn.broken = true;
        for (const wake of conn.waiting.splice(0)) wake(Buffer.alloc(0));
        teardown(conn);
      }
      live = undefined;
    },
  };
}
