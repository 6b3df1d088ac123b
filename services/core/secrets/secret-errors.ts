import { DomainError } from '../../protocol/domain-error.js';

/** The refusals the secret use cases share, worded once. */
export const conflict = (name: string, cause?: unknown): DomainError =>
  new DomainError('CONFLICT', `A secret named ${name} already exists in this scope.`, {
    details: { field: 'name' },
    cause,
  });

export const notFound = (what = 'secret'): DomainError => new DomainError('NOT_FOUND', `No such ${what}.`);

export const forbidden = (message: string): DomainError => new DomainError('FORBIDDEN', message);
