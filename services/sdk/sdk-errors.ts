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

/**
 * A reference object (`source: secret`) without a valid secret name. The message
 * says where in the template it is; it never repeats what was written as the name.
 */
export class InvalidSecretReferenceError extends DomainError {
  /** Where the reference object is, e.g. `values.api_key`. */
  readonly path: string;

  constructor(path: string) {
    super(
      'BAD_USER_INPUT',
      `the secret reference at ${path} needs a name: a secret name of letters, digits, _ and - ` +
        '(source: secret, name: NAME)',
      { details: { field: 'template', path } },
    );
    this.path = path;
  }
}

/** A template file that cannot be read or parsed; the message names the file and a position, never its text. */
export class TemplateFileError extends DomainError {
  constructor(path: string, problem: string, cause?: unknown) {
    super('BAD_USER_INPUT', `the template ${path} ${problem}`, {
      details: { field: 'template', path },
      cause,
    });
  }
}

/**
 * An alias that is not an identifier, one given twice, or secret names that need
 * an alias (`names`, with a suggested alias each in `suggestions`). Messages hold
 * names and aliases, which are safe to show, never values.
 */
export class SecretAliasError extends DomainError {
  /** Secret names that are not identifiers and have no alias. */
  readonly names: string[];
  /** A suggested alias per entry of `names`. */
  readonly suggestions: string[];

  constructor(message: string, names: readonly string[] = [], suggestions: readonly string[] = []) {
    super('BAD_USER_INPUT', message, { details: { field: 'aliases', names: [...names] } });
    this.names = [...names];
    this.suggestions = [...suggestions];
  }

  static needsAlias(names: readonly string[], suggestions: readonly string[]): SecretAliasError {
    const list = names.join(', ');
    return new SecretAliasError(
      `${names.length === 1 ? 'the secret name' : 'the secret names'} ${list} cannot be used as ` +
        `${names.length === 1 ? 'an identifier' : 'identifiers'} (letters, digits and _, no leading digit); ` +
        'give each an alias (ALIAS=NAME)',
      names,
      suggestions,
    );
  }
}

function describeCount(count: number, noun: string): string {
  return count === 1 ? `1 ${noun}` : `${count} ${noun}s`;
}
