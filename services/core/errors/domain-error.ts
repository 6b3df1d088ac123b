/**
 * The one error type of Strongroom's domain. Each transport maps `code` once
 * (GraphQL `extensions.code`, gRPC status). `message` and `details` are safe to
 * show a caller; `cause` is for the server log only and is never sent.
 */
export type DomainErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'INTERNAL';

/** Details that may be shown to the caller: never a secret value. */
export interface SafeDetails {
  field?: string;
  line?: number;
  missingNames?: string[];
  retryable?: boolean;
  [key: string]: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly details: SafeDetails;

  constructor(
    code: DomainErrorCode,
    message: string,
    options: { details?: SafeDetails; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** Turns anything thrown into a DomainError; unknown errors become INTERNAL with a generic message. */
  static from(error: unknown): DomainError {
    if (error instanceof DomainError) return error;
    if (isDatabaseUnavailable(error)) {
      return new DomainError('UNAVAILABLE', 'The database is unavailable; retry later.', {
        details: { retryable: true },
        cause: error,
      });
    }
    return new DomainError('INTERNAL', 'Internal error.', { cause: error });
  }
}

/**
 * Error codes meaning "the database cannot be reached right now", as mysql2, Node's
 * sockets, MariaDB and SQLite report them. Seen in the outage tests: ECONNREFUSED
 * (server down), PROTOCOL_CONNECTION_LOST and ECONNRESET (server stopped or killed
 * under a statement), ETIMEDOUT (connect timeout against a silent server).
 */
const unavailableCodes = new Set([
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
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

/** MariaDB's "Connection was killed" (1927), sent at shutdown, which mysql2 has no code name for. */
const MARIADB_CONNECTION_KILLED = 1927;

/**
 * `error` and the errors it wraps, outermost first, at most `depth` of them: TypeORM
 * keeps the driver's error as `driverError`, others as `cause`.
 */
export function errorChain(error: unknown, depth: number): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < depth;) {
    chain.push(current);
    current =
      (current as { driverError?: unknown; cause?: unknown }).driverError ??
      (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** True when an error means the database cannot be reached right now (a retry may succeed). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return errorChain(error, 5).some((current) => {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && unavailableCodes.has(code)) return true;
    if ((current as { errno?: unknown }).errno === MARIADB_CONNECTION_KILLED) return true;
    const message = (current as { message?: unknown }).message;
    return (
      typeof message === 'string' &&
      // mysql2 says "closed state" when a statement is sent on a connection that just died.
      /connection (is )?(lost|closed)|Pool is closed|connect ECONNREFUSED|connection is in closed state/i.test(
        message,
      )
    );
  });
}

export const badInput = (field: string, message: string, details: SafeDetails = {}): DomainError =>
  new DomainError('BAD_USER_INPUT', message, { details: { field, ...details } });
