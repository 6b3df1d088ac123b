/**
 * Which strings the masker hides for a set of secret values: what GitHub Actions'
 * runner masks, for the same reasons. A value leaks not only verbatim but also
 * line by line (a PEM key printed by a tool that logs each line; the runner once
 * missed those, GHSA-4mgv-m5cm-f9h7), base64-encoded (a Basic auth header, a
 * Kubernetes secret), URL-encoded (a query string) and JSON-escaped (a request
 * body in a debug log).
 */

/** A value to mask, optionally with its secret name (used in warnings, never the value). */
export type MaskedValue = string | { name: string; value: string };

/** Default minimum length: shorter values are not masked (see `createSecretMasker`). */
export const DEFAULT_MIN_MASK_LENGTH = 3;

/** How patterns are derived. */
export interface MaskPatternOptions {
  minLength: number;
  onWarning: (message: string) => void;
}

/** Every distinct string to mask for `values`, longest first. */
export function deriveMaskPatterns(values: readonly MaskedValue[], options: MaskPatternOptions): string[] {
  const patterns = new Set<string>();
  const add = (pattern: string): void => {
    if (pattern.length >= options.minLength) patterns.add(pattern);
  };

  values.forEach((entry, index) => {
    const value = typeof entry === 'string' ? entry : entry.value;
    if (value.length === 0) return; // Nothing to hide, and masking '' would match everywhere.
    if (value.length < options.minLength) {
      const label = typeof entry === 'string' ? `value #${index + 1}` : `secret ${entry.name}`;
      options.onWarning(
        `${label} is shorter than ${options.minLength} characters and is not masked in output; ` +
          'masking so short a string would garble every line.',
      );
      return;
    }
    for (const form of encodedForms(value)) add(form);
    // Each line of a multi-line value on its own, and without its indentation, since
    // tools often print such values one line at a time or re-indented.
    const lines = value.split(/\r\n|\r|\n/);
    if (lines.length > 1) {
      for (const line of lines) {
        for (const variant of new Set([line, line.trim()])) {
          if (variant.length >= options.minLength) for (const form of encodedForms(variant)) add(form);
        }
      }
    }
  });
  return [...patterns].sort((a, b) => b.length - a.length);
}

/** The value and the forms it takes when encoded. */
function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [
    value,
    bytes.toString('base64'),
    base64Inner(bytes, 0),
    base64Inner(bytes, 1),
    base64Inner(bytes, 2),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
  ];
}

/**
 * The part of a base64 stream that depends only on `bytes` when they sit at byte
 * offset `offset` (mod 3) inside a larger encoded buffer: base64 maps each 6-bit
 * group to a character, so the characters whose bits mix with the neighbouring
 * bytes (the first one at offsets 1 and 2, the last one unless the end is aligned)
 * vary with the surroundings and are left out; the rest is fixed wherever the
 * value appears.
 */
export function base64Inner(bytes: Uint8Array, offset: 0 | 1 | 2): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const first = Math.ceil((8 * offset) / 6);
  const end = Math.floor((8 * (offset + bytes.length)) / 6);
  return encoded.slice(first, end);
}
