import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DomainError, type DomainErrorCode } from '../protocol/domain-error.js';
import { toDomainError } from '../core/errors/to-domain-error.js';

/** The one table from domain codes to GraphQL `extensions.code` (SPEC §5). */
export const GRAPHQL_CODES = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  UNAVAILABLE: 'INTERNAL_SERVER_ERROR',
  DEADLINE_EXCEEDED: 'INTERNAL_SERVER_ERROR',
  RATE_LIMITED: 'RATE_LIMITED',
  DATA_LOSS: 'INTERNAL_SERVER_ERROR',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<DomainErrorCode, string>;

/** Codes graphql-js and Apollo raise before any resolver runs; their messages may quote input. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The reasons graphql-js gives for a variable it could not coerce, reduced to what
 * is safe to show: schema names only. Scalar and enum reasons end with the offending
 * value, which may be a secret (`value: 123456` sent as a number); it is cut off. A
 * reason not listed here is dropped rather than risked. Anchored at the start, so a
 * huge value costs one pass.
 */
const COERCION_REASONS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [
    /^Field "(\w+)" of required type "([\w![\]]+)" was not provided\.$/,
    (m) => `Field "${m[1]}" of required type "${m[2]}" was not provided.`,
  ],
  [/^Expected type "(\w+)" to be an object\.$/, (m) => `Expected type "${m[1]}" to be an object.`],
  [/^Field "[^"]*" is not defined by type "(\w+)"\./, (m) => `A field is not defined by type "${m[1]}".`],
  [/^Value "[^"]*" does not exist in "(\w+)" enum\./, (m) => `The value does not exist in "${m[1]}" enum.`],
  [
    /^(String|Int|Float|Boolean|ID|Enum "\w+") cannot represent /,
    (m) => `${m[1]} cannot represent the value given.`,
  ],
  [/^DateTime must be an ISO-8601 date-time such as [\dTZ:-]+\.$/, (m) => m[0]],
];

/**
 * Strips input from graphql-js messages. A variable coercion message prints the
 * whole offending variable (which may hold a secret value) and then the reason,
 * which may quote it again; only `Variable "$x" got an invalid value` and a known
 * reason (`reason`: graphql-js's message of the coercion error alone) are kept.
 * Parse and validation messages print the literal or token they found; quoted input
 * may itself hold `"`, `;` or `.`, so everything from it to the end goes.
 */
export function scrubRequestErrorMessage(message: string, reason?: string): string {
  const variable = /^Variable "\$(\w+)" got invalid value /.exec(message);
  if (variable) {
    const known =
      reason === undefined
        ? undefined
        : COERCION_REASONS.map(([pattern, say]) => {
            const m = pattern.exec(reason);
            return m ? say(m) : undefined;
          }).find((said) => said !== undefined);
    return `Variable "$${variable[1]}" got an invalid value${known ? `; ${known}` : '.'}`;
  }
  return message
    .replace(/ found [\s\S]*$/, ' found an invalid value.')
    .replace(/(cannot represent[^:"]*): [\s\S]*$/, '$1.')
    .replace(/(Unexpected \w+) "[\s\S]*$/, '$1.')
    .replace(/(Unknown operation named) "[\s\S]*$/, '$1 (redacted).')
    .replace(/(value|literal|character) "[\s\S]*$/, '$1 (redacted).');
}

/** How an error met while serving a request is reported: as it stands, or as a server-side failure. */
export type ErrorClass =
  | { kind: 'request'; code: string }
  | { kind: 'domain'; error: DomainError; code: (typeof GRAPHQL_CODES)[DomainErrorCode] }
  | { kind: 'server'; error: DomainError; unexpected: boolean };

/**
 * graphql-js stops coercing variables after 50 errors and adds this one, which carries
 * no code of its own: it is still the caller's bad input, not a server failure.
 */
const VARIABLE_ERROR_LIMIT = 'Too many errors processing variables, error limit reached. Execution aborted.';

/** Sorts a GraphQL error by what it came from; `requestCode` is its `extensions.code` so far. */
export function classifyError(error: unknown, requestCode: unknown): ErrorClass {
  const original = unwrapResolverError(error);
  if (original instanceof Error && original.message === VARIABLE_ERROR_LIMIT) {
    return { kind: 'request', code: 'BAD_USER_INPUT' };
  }
  if (
    !(original instanceof DomainError) &&
    typeof requestCode === 'string' &&
    REQUEST_ERROR_CODES.has(requestCode)
  )
    return { kind: 'request', code: requestCode };
  const domain = toDomainError(original);
  const code = GRAPHQL_CODES[domain.code];
  if (code !== 'INTERNAL_SERVER_ERROR') return { kind: 'domain', error: domain, code };
  return { kind: 'server', error: domain, unexpected: domain !== original };
}

/**
 * Apollo's `formatError`: domain errors keep their safe message and details; request
 * errors are scrubbed; anything else becomes INTERNAL_SERVER_ERROR with a generic
 * message, its cause only in the server log (written with the request's logger, by
 * the request error logging plugin: formatError does not see the request).
 */
export function createErrorFormatter() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const sorted = classifyError(error, formatted.extensions?.code);
    if (sorted.kind === 'request') {
      return {
        message: scrubRequestErrorMessage(formatted.message, coercionReason(error)),
        locations: formatted.locations,
        extensions: { code: sorted.code },
      };
    }
    if (sorted.kind === 'domain') {
      return {
        message: sorted.error.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { ...sorted.error.details, code: sorted.code },
      };
    }
    const retryable = sorted.error.code !== 'INTERNAL';
    return {
      message: retryable ? 'The service is temporarily unavailable; retry later.' : 'Internal server error.',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', retryable },
    };
  };
}

/** What of an error may be logged: its kind and message, never query parameters. */
export function loggableCause(error: DomainError): Record<string, unknown> {
  const cause = error.cause as { name?: unknown; message?: unknown; code?: unknown } | undefined;
  return {
    code: error.code,
    message: error.message,
    cause: cause
      ? {
          name: cause.name,
          code: cause.code,
          message: typeof cause.message === 'string' ? cause.message.slice(0, 300) : undefined,
        }
      : undefined,
  };
}

/** The message of the error a variable coercion failure wraps: the reason alone, without the value. */
function coercionReason(error: unknown): string | undefined {
  const cause = (error as { originalError?: unknown } | null)?.originalError;
  return cause instanceof Error ? cause.message : undefined;
}
