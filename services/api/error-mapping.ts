import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DomainError, type DomainErrorCode } from '../core/errors/domain-error.js';
import type { Logger } from '../core/logging/logger.js';

/** The one table from domain codes to GraphQL `extensions.code` (SPEC §5). */
export const GRAPHQL_CODES = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  UNAVAILABLE: 'INTERNAL_SERVER_ERROR',
  DEADLINE_EXCEEDED: 'INTERNAL_SERVER_ERROR',
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
 * Strips quoted input from graphql-js messages: variable coercion errors print the
 * whole offending variable (which may hold a secret value) and validation errors
 * print the literal they found.
 */
export function scrubRequestErrorMessage(message: string): string {
  const variable = /^Variable "\$([A-Za-z0-9_]+)" got invalid value [\s\S]*?(?:; |$)([\s\S]*)$/.exec(message);
  if (variable) {
    const rest = variable[2]!.replace(/(value|found|got) (["{[][\s\S]*?["}\]])/g, '$1 (redacted)');
    return `Variable "$${variable[1]}" got an invalid value${rest ? `; ${rest}` : '.'}`;
  }
  return message
    .replace(/found ([\s\S]+?)(\.|;|$)/g, 'found an invalid value$2')
    .replace(/(value|literal) "[\s\S]*?"/g, '$1 (redacted)');
}

/**
 * Apollo's `formatError`: domain errors keep their safe message and details; request
 * errors are scrubbed; anything else becomes INTERNAL_SERVER_ERROR with a generic
 * message, its cause only in the server log.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const requestCode = formatted.extensions?.code;
    if (
      !(original instanceof DomainError) &&
      typeof requestCode === 'string' &&
      REQUEST_ERROR_CODES.has(requestCode)
    ) {
      return {
        message: scrubRequestErrorMessage(formatted.message),
        locations: formatted.locations,
        extensions: { code: requestCode },
      };
    }
    const domain = DomainError.from(original);
    const code = GRAPHQL_CODES[domain.code];
    if (code !== 'INTERNAL_SERVER_ERROR') {
      return {
        message: domain.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { ...domain.details, code },
      };
    }
    logger.error(
      { err: loggableCause(domain), requestPath: formatted.path },
      domain === original ? 'operation failed' : 'unexpected error',
    );
    const retryable = domain.code !== 'INTERNAL';
    return {
      message: retryable ? 'The service is temporarily unavailable; retry later.' : 'Internal server error.',
      path: formatted.path,
      extensions: { code, retryable },
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
