import { DomainError } from '../protocol/domain-error.js';

/**
 * A resolve failed because some names have no secret (SPEC §6: all or nothing).
 * Both the local and the remote client throw it, so callers need one `instanceof`.
 * Names are safe to show; values never appear here.
 */
export class MissingSecretsError extends DomainError {
  /** Every missing name, distinct, in request order. */
  readonly missingNames: string[];

  constructor(missingNames: readonly string[], options: { cause?: unknown } = {}) {
    const names = [...new Set(missingNames)];
    super('NOT_FOUND', `${describeCount(names.length, 'secret')} not found: ${names.join(', ')}`, {
      details: { missingNames: names },
      cause: options.cause,
    });
    this.missingNames = names;
  }
}

/**
 * `renderTemplate` met references that have no value. Rendering them as empty
 * strings would hide a misconfiguration until some API call fails far away, so it
 * refuses and names every one of them.
 */
export class MissingTemplateValuesError extends DomainError {
  /** Every reference without a value, distinct, in the order they first appear. */
  readonly missingNames: string[];

  constructor(missingNames: readonly string[]) {
    const names = [...new Set(missingNames)];
    super(
      'BAD_USER_INPUT',
      `no value for ${describeCount(names.length, 'secret reference')}: ${names.join(', ')}`,
      {
        details: { field: 'values', missingNames: names },
      },
    );
    this.missingNames = names;
  }
}

function describeCount(count: number, noun: string): string {
  return count === 1 ? `1 ${noun}` : `${count} ${noun}s`;
}
