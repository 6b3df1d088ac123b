import { badInput } from './domain-error.js';

/** SPEC §3: a secret name. Case-sensitive, at most 128 characters. */
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/** Throws BAD_USER_INPUT naming the field when `name` is not a valid secret name. */
export function assertSecretName(name: string, field = 'name'): void {
  if (!isValidSecretName(name)) {
    throw badInput(
      field,
      'A secret name starts with a letter or underscore and holds at most 128 letters, digits, underscores or hyphens.',
    );
  }
}
