/**
 * What storage tells the layers above about a failure, whichever database or driver
 * raised it. Driver error codes are read here and nowhere else: every store's methods
 * pass through `withStorageErrors`, so the domain only ever sees one of these kinds (or
 * an error of its own thrown back out of a transaction).
 *
 * - `unique-violation`: a unique key refused the row (a name taken meanwhile).
 * - `transient-abort`: the database gave up on the transaction only because a
 *   concurrent one was in its way; running it again whole is safe.
 * - `unavailable`: the database cannot be reached right now; a retry later may succeed.
 * - `precondition-failed`: a conditional commit found its condition false and wrote
 *   nothing (see `CommitPrecondition`).
 */
export type StorageErrorKind = 'unique-violation' | 'transient-abort' | 'unavailable' | 'precondition-failed';

export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

/**
 * `error` and the errors it wraps, outermost first, at most `depth` of them: TypeORM
 * keeps the driver's error as `driverError`, others as `cause`.
 */
function errorChain(error: unknown, depth: number): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < depth;) {
    chain.push(current);
    current =
      (current as { driverError?: unknown; cause?: unknown }).driverError ??
      (current as { cause?: unknown }).cause;
  }
  return chain;
}

const UNIQUE_VIOLATIONS = new Set([
  'ER_DUP_ENTRY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

/**
 * Aborts that say nothing about the change itself, only that another transaction was
 * in the way and the database gave up on this one at once: an InnoDB deadlock victim
 * (rolled back whole; on a Galera cluster also a transaction that lost certification to
 * one committed on another node, reported at COMMIT or on the next statement), and
 * SQLite's stale read snapshot (a transaction that read, then
 * found another process had written since). Lock-wait timeouts and a plain SQLITE_BUSY
 * are not here: they have already waited their full timeout, and count as unavailable.
 */
const TRANSIENT_ABORTS = new Set(['ER_LOCK_DEADLOCK', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY']);

/**
 * Error codes meaning "the database cannot be reached right now", as mysql2, Node's
 * sockets, MariaDB and SQLite report them. Seen in the outage tests: ECONNREFUSED
 * (server down), PROTOCOL_CONNECTION_LOST and ECONNRESET (server stopped or killed
 * under a statement), ETIMEDOUT (connect timeout against a silent server),
 * PROTOCOL_SEQUENCE_TIMEOUT (a statement past its timeout, see runOnPool).
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_SESSION_WAS_KILLED',
  'ER_LOCK_WAIT_TIMEOUT',
  // Galera: "WSREP has not yet prepared node for application use", from a node outside
  // the primary component (cut off, or still joining) until it is back in it.
  'ER_UNKNOWN_COM_ERROR',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

/** MariaDB's "Connection was killed" (1927), sent at shutdown, which mysql2 has no code name for. */
const MARIADB_CONNECTION_KILLED = 1927;

/** mysql2 says "closed state" when a statement is sent on a connection that just died. */
const UNAVAILABLE_MESSAGE =
  /connection (is )?(lost|closed)|Pool is closed|connect ECONNREFUSED|connection is in closed state/i;

const codeOf = (error: unknown): unknown => (error as { code?: unknown }).code;

/** True when an error means the database cannot be reached right now (a retry may succeed). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return errorChain(error, 5).some((current) => {
    const code = codeOf(current);
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if ((current as { errno?: unknown }).errno === MARIADB_CONNECTION_KILLED) return true;
    const message = (current as { message?: unknown }).message;
    return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
  });
}

const MESSAGES: Record<Exclude<StorageErrorKind, 'precondition-failed'>, string> = {
  'unique-violation': 'a row with this key exists already',
  'transient-abort': 'the transaction collided with a concurrent one',
  unavailable: 'the database is unavailable',
};

/** The kind of a driver error, or undefined for one storage does not sort (a bug, not a condition). */
function kindOf(error: unknown): keyof typeof MESSAGES | undefined {
  const codes = errorChain(error, 4).map(codeOf);
  if (codes.some((code) => UNIQUE_VIOLATIONS.has(code as string))) return 'unique-violation';
  if (codes.some((code) => TRANSIENT_ABORTS.has(code as string))) return 'transient-abort';
  if (isDatabaseUnavailable(error)) return 'unavailable';
  return undefined;
}

/**
 * `error` as a StorageError when it is a driver error of a known kind; otherwise
 * `error` itself (a StorageError already, an error the caller threw inside a
 * transaction, or a driver error that is a bug and should surface as one).
 */
export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageError) return error;
  const kind = kindOf(error);
  return kind ? new StorageError(kind, MESSAGES[kind], { cause: error }) : error;
}

/** True when `error` is a StorageError of `kind`. */
export const isStorageError = (error: unknown, kind: StorageErrorKind): error is StorageError =>
  error instanceof StorageError && error.kind === kind;

/**
 * `store` with every method's failures passed through `toStorageError`: the edge
 * where driver errors become storage's own. Methods that return a promise are
 * wrapped on rejection; the rest on a synchronous throw.
 */
export function withStorageErrors<T extends object>(store: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(store)) {
    if (typeof member !== 'function') {
      wrapped[key] = member;
      continue;
    }
    wrapped[key] = function (this: unknown, ...args: unknown[]) {
      let result: unknown;
      try {
        result = (member as (...a: unknown[]) => unknown).apply(this, args);
      } catch (error) {
        throw toStorageError(error);
      }
      return result instanceof Promise ? result.catch(rethrowAsStorageError) : result;
    };
  }
  return wrapped as T;
}

function rethrowAsStorageError(error: unknown): never {
  throw toStorageError(error);
}
