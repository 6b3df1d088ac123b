import { InvalidSecretReferenceError } from './sdk-errors.js';

/**
 * The object form of a secret reference, as journey definitions write it (seed
 * 000, SPEC §9) beside `{{secrets.NAME}}`:
 *
 * ```yaml
 * values:
 *   api_key:
 *     source: secret
 *     name: payments-api-key
 * ```
 *
 * or in JSON `{ "source": "secret", "name": "payments-api-key" }`. The object as a
 * whole stands for the value: rendering replaces it with the value string.
 */
export interface SecretReferenceObject {
  source: 'secret';
  name: string;
}

/** SPEC §3, the same rule as `{{secrets.NAME}}` (secret-references.ts). */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/**
 * Whether `value` is meant as a reference object: a plain object whose own
 * `source` is exactly `'secret'`. Other keys (a description, say) are allowed and
 * dropped when it is rendered.
 */
export function isSecretReferenceObject(value: unknown): value is { source: 'secret' } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.hasOwn(value, 'source') && (value as { source: unknown }).source === 'secret';
}

/**
 * The secret name of a reference object found at `path` (`['values', 'api_key']`).
 * `source: secret` says unambiguously that a secret was meant, so a missing or
 * invalid `name` is an error rather than text to pass over (as a malformed
 * `{{ }}` is). The error names the place in the document, never the bad name: a
 * value pasted where the name belongs must not end up in a log.
 */
export function referenceObjectName(reference: object, path: readonly (string | number)[]): string {
  const name = Object.hasOwn(reference, 'name') ? (reference as { name: unknown }).name : undefined;
  if (typeof name === 'string' && SECRET_NAME.test(name)) return name;
  throw new InvalidSecretReferenceError(formatPath(path));
}

/** `values.api_key`, `steps[2].auth`, `["odd key"]`; the root is `(the template)`. */
function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(the template)';
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
    })
    .join('');
}
