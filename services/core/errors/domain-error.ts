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

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'ER_LOCK_WAIT_TIMEOUT',
]);

/** True when an error means the database cannot be reached right now (a retry may succeed). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && unavailableCodes.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (
      typeof message === 'string' &&
      /connection (is )?(lost|closed)|Pool is closed|connect ECONNREFUSED/i.test(message)
    )
      return true;
    current =
      (current as { driverError?: unknown; cause?: unknown }).driverError ??
      (current as { cause?: unknown }).cause;
  }
  return false;
}

export const badInput = (field: string, message: string, details: SafeDetails = {}): DomainError =>
  new DomainError('BAD_USER_INPUT', message, { details: { field, ...details } });
