import { Metadata, type ServerErrorResponse, type StatusObject } from '@grpc/grpc-js';
import type { DomainError } from '../protocol/domain-error.js';
import {
  EXPIRED_NAMES_TRAILER,
  GRPC_STATUS_BY_DOMAIN_CODE,
  INVALID_FIELD_TRAILER,
  MISSING_NAMES_TRAILER,
  REQUEST_ID_TRAILER,
} from '../protocol/status-codes.js';

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
  const expired = error.details.expiredNames;
  if (Array.isArray(expired) && expired.length > 0) metadata.set(EXPIRED_NAMES_TRAILER, expired.join(','));
  if (error.details.field) metadata.set(INVALID_FIELD_TRAILER, error.details.field);
  return {
    name: 'StrongroomResolverError',
    message: error.message,
    code: GRPC_STATUS_BY_DOMAIN_CODE[error.code],
    details: error.message,
    metadata,
  };
}
