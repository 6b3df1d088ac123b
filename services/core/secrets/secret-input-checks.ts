import { badInput } from '../../protocol/domain-error.js';
import type { SecretScope } from '../../protocol/vocabulary.js';

export const MAX_DISPLAY_NAME = 256;
export const MAX_DESCRIPTION = 2048;
/** A lone surrogate: a JS string that is not valid Unicode, so not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormedText = (value: string): boolean => !LONE_SURROGATE.test(value);

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/** A value is UTF-8 text of 1 byte up to the configured maximum. The message never echoes it. */
export function assertValue(value: string, maxBytes: number, field = 'value'): void {
  if (value.length === 0) throw badInput(field, 'The value must not be empty.');
  if (!isWellFormedText(value)) throw badInput(field, 'The value must be valid UTF-8 text.');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxBytes) {
    throw badInput(field, `The value is ${bytes} bytes; at most ${maxBytes} are allowed.`, { maxBytes });
  }
}

export function assertText(value: string | null | undefined, field: string, max: number): void {
  if (value == null) return;
  if (!isWellFormedText(value) || Array.from(value).length > max) {
    throw badInput(field, `${field} must be text of at most ${max} characters.`);
  }
}

/** User, integration and member ids: short printable identifiers. */
export function assertIdentifier(value: string, field: string): void {
  if (!IDENTIFIER.test(value)) {
    throw badInput(field, `${field} must be 1 to 128 letters, digits or . _ : @ - characters.`);
  }
}

export function assertScope(scope: string): asserts scope is SecretScope {
  if (scope !== 'WORKSPACE' && scope !== 'PERSONAL')
    throw badInput('scope', 'scope must be WORKSPACE or PERSONAL.');
}
