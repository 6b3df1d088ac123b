import { status } from '@grpc/grpc-js';
import type { DomainErrorCode } from './domain-error.js';

/** The one table from domain error codes to gRPC status codes; `satisfies` keeps it exhaustive. */
export const GRPC_STATUS_BY_DOMAIN_CODE = {
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  FORBIDDEN: status.PERMISSION_DENIED,
  NOT_FOUND: status.NOT_FOUND,
  BAD_USER_INPUT: status.INVALID_ARGUMENT,
  CONFLICT: status.ALREADY_EXISTS,
  UNAVAILABLE: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  DATA_LOSS: status.DATA_LOSS,
  INTERNAL: status.INTERNAL,
} as const satisfies Record<DomainErrorCode, status>;

/** The one table from gRPC status codes back to domain codes, for clients; exhaustive too. */
export const DOMAIN_CODE_BY_GRPC_STATUS = {
  [status.OK]: 'INTERNAL',
  [status.CANCELLED]: 'UNAVAILABLE',
  [status.UNKNOWN]: 'INTERNAL',
  [status.INVALID_ARGUMENT]: 'BAD_USER_INPUT',
  [status.DEADLINE_EXCEEDED]: 'DEADLINE_EXCEEDED',
  [status.NOT_FOUND]: 'NOT_FOUND',
  [status.ALREADY_EXISTS]: 'CONFLICT',
  [status.PERMISSION_DENIED]: 'FORBIDDEN',
  [status.RESOURCE_EXHAUSTED]: 'INTERNAL',
  [status.FAILED_PRECONDITION]: 'BAD_USER_INPUT',
  [status.ABORTED]: 'UNAVAILABLE',
  [status.OUT_OF_RANGE]: 'BAD_USER_INPUT',
  [status.UNIMPLEMENTED]: 'INTERNAL',
  [status.INTERNAL]: 'INTERNAL',
  [status.UNAVAILABLE]: 'UNAVAILABLE',
  [status.DATA_LOSS]: 'DATA_LOSS',
  [status.UNAUTHENTICATED]: 'UNAUTHENTICATED',
} as const satisfies Record<status, DomainErrorCode>;

/** Trailing metadata key listing every missing name of a NOT_FOUND, comma-separated. */
export const MISSING_NAMES_TRAILER = 'missing-names';
/** Trailing metadata key naming the request field an INVALID_ARGUMENT is about. */
export const INVALID_FIELD_TRAILER = 'invalid-field';
/** Trailing metadata key echoing the request id the audit records carry. */
export const REQUEST_ID_TRAILER = 'x-request-id';
