/**
 * The one error type of Strongroom, shared by the server and the runner SDK. Each
 * transport maps `code` once (GraphQL `extensions.code`, gRPC status). `message` and
 * `details` are safe to show a caller; `cause` is for the server log only and is never
 * sent. On the server, anything else that is thrown becomes one through core's
 * `toDomainError`.
 */
export type DomainErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  /** The caller has failed too often and must wait (`details.retryAfterSeconds`). */
  | 'RATE_LIMITED'
  /** Stored state failed its integrity check (SPEC §8.1): nothing derived from it is served. */
  | 'DATA_LOSS'
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
}

/** BAD_USER_INPUT about `field`. */
export const badInput = (field: string, message: string, details: SafeDetails = {}): DomainError =>
  new DomainError('BAD_USER_INPUT', message, { details: { field, ...details } });
