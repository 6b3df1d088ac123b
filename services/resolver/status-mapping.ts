import { Metadata, status, type ServerErrorResponse, type StatusObject } from '@grpc/grpc-js';
import type { DomainError, DomainErrorCode } from '../core/errors/domain-error.js';

/** The one table from domain error codes to gRPC status codes; `satisfies` keeps it exhaustive. */
export const GRPC_STATUS_BY_DOMAIN_CODE = {
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  FORBIDDEN: status.PERMISSION_DENIED,
  NOT_FOUND: status.NOT_FOUND,
  BAD_USER_INPUT: status.INVALID_ARGUMENT,
  CONFLICT: status.ALREADY_EXISTS,
  UNAVAILABLE: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  INTERNAL: status.INTERNAL,
} as const satisfies Record<DomainErrorCode, status>;

/** Trailing metadata key listing every missing name of a NOT_FOUND, comma-separated. */
export const MISSING_NAMES_TRAILER = 'missing-names';
/** Trailing metadata key naming the request field an INVALID_ARGUMENT is about. */
export const INVALID_FIELD_TRAILER = 'invalid-field';
/** Trailing metadata key echoing the request id the audit records carry. */
export const REQUEST_ID_TRAILER = 'x-request-id';

/**
 * A DomainError as a gRPC status: code from the table, the (value-free) message as
 * details, and the safe details as trailing metadata. `cause` is never sent.
 */
export function toGrpcStatus(
  error: DomainError,
  requestId: string,
): Partial<StatusObject> & ServerErrorResponse {
  const metadata = new Metadata();
  metadata.set(REQUEST_ID_TRAILER, requestId);
  if (error.details.missingNames?.length)
    metadata.set(MISSING_NAMES_TRAILER, error.details.missingNames.join(','));
  if (error.details.field) metadata.set(INVALID_FIELD_TRAILER, error.details.field);
  return {
    name: 'StrongroomResolverError',
    message: error.message,
    code: GRPC_STATUS_BY_DOMAIN_CODE[error.code],
    details: error.message,
    metadata,
  };
}
