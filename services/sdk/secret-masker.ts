import type { Transform } from 'node:stream';
import { compileMaskAutomaton } from './mask-automaton.js';
import { DEFAULT_MIN_MASK_LENGTH, deriveMaskPatterns, type MaskedValue } from './mask-patterns.js';
import { maskIntervalsOf, maskString } from './mask-matcher.js';
import { createMaskingTransform } from './masking-stream.js';

export type { MaskedValue } from './mask-patterns.js';
export { DEFAULT_MIN_MASK_LENGTH } from './mask-patterns.js';

/** Options of `createSecretMasker`. */
export interface SecretMaskerOptions {
  /**
   * Values shorter than this many characters are not masked, with a warning:
   * hiding a one- or two-character value would replace that string in every
   * line and make logs unreadable while protecting almost nothing. Default 3.
   */
  minLength?: number;
  /** Told about values that are not masked; the message names the secret, never its value. */
  onWarning?: (message: string) => void;
}

/** Hides secret values in log output. */
export interface SecretMasker {
  /** `text` with every occurrence of a value (or a derived form) replaced by `***`. */
  mask(text: string): string;
  /** A Transform stream that does the same to a byte stream, across chunk boundaries. */
  createMaskingStream(): Transform;
  /** How many distinct strings are masked (values, lines and encodings); 0 means a pass-through. */
  readonly patternCount: number;
}

/**
 * A masker for `values` (plain strings, or `{ name, value }` such as resolved
 * secrets, whose names make warnings useful). Each value is masked verbatim, line
 * by line when it spans lines (whitespace-only lines excepted), in base64 and
 * base64url (padded or not, also where it sits at any offset inside a longer
 * encoded text), percent-encoded (the RFC 3986 and `encodeURIComponent` sets and
 * form encoding, either hex case) and JSON-escaped (`\uXXXX` and `\/` included)
 * form; docs/sdk.md lists every form. Overlapping and adjacent hits become a
 * single `***`.
 *
 * All forms are compiled into one automaton up front, so masking costs about the
 * same per byte of output for one secret as for a thousand.
 *
 * @example
 * const masker = createSecretMasker([{ name: 'TOKEN', value: resolved }]);
 * child.stdout.pipe(masker.createMaskingStream()).pipe(process.stdout);
 */
export function createSecretMasker(
  values: readonly MaskedValue[],
  options: SecretMaskerOptions = {},
): SecretMasker {
  const minLength = options.minLength ?? DEFAULT_MIN_MASK_LENGTH;
  if (!Number.isInteger(minLength) || minLength < 1)
    throw new RangeError('minLength must be a whole number >= 1');
  const patterns = deriveMaskPatterns(values, { minLength, onWarning: options.onWarning ?? (() => {}) });
  const automaton = compileMaskAutomaton(patterns.map((pattern) => Buffer.from(pattern, 'utf8')));

  return {
    patternCount: patterns.length,
    mask(text: string): string {
      if (patterns.length === 0) return text;
      return maskString(text, maskIntervalsOf(automaton, Buffer.from(text, 'utf8')));
    },
    createMaskingStream(): Transform {
      return createMaskingTransform(automaton);
    },
  };
}
