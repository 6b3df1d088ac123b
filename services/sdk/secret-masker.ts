import type { Transform } from 'node:stream';
import { DEFAULT_MIN_MASK_LENGTH, deriveMaskPatterns, type MaskedValue } from './mask-patterns.js';
import { findMaskIntervals, maskString } from './mask-matcher.js';
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
 * by line when it spans lines, and in base64 (also where it sits at any offset
 * inside a longer base64 text), URL-encoded and JSON-escaped form. Overlapping
 * and adjacent hits become a single `***`.
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

  return {
    patternCount: patterns.length,
    mask(text: string): string {
      if (patterns.length === 0) return text;
      return maskString(
        text,
        findMaskIntervals((pattern: string, from) => text.indexOf(pattern, from), patterns),
      );
    },
    createMaskingStream(): Transform {
      return createMaskingTransform(patterns);
    },
  };
}
