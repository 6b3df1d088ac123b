import { DomainError } from '../../protocol/domain-error.js';
import { StorageError, toStorageError } from '../../storage/storage-errors.js';

/**
 * Turns anything thrown into a DomainError, the one place where storage's failures get
 * their meaning for callers: an unreachable database or a change that kept colliding is
 * UNAVAILABLE (retryable); anything else is INTERNAL with a generic message. The
 * original stays as `cause`, for the server log only.
 */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const stored = toStorageError(error);
  if (stored instanceof StorageError) {
    switch (stored.kind) {
      case 'unavailable':
        return new DomainError('UNAVAILABLE', 'The database is unavailable; retry later.', {
          details: { retryable: true },
          cause: error,
        });
      case 'transient-abort':
        return new DomainError('UNAVAILABLE', 'The change collided with concurrent changes; retry it.', {
          details: { retryable: true },
          cause: error,
        });
      // A unique key or a precondition the domain did not expect to fail is a bug.
      case 'unique-violation':
      case 'precondition-failed':
        break;
    }
  }
  return new DomainError('INTERNAL', 'Internal error.', { cause: error });
}
