/**
 * Which strings the masker hides for a set of secret values: what GitHub Actions'
 * runner masks, for the same reasons, and a few more encodings. A value leaks not
 * only verbatim but also line by line (a PEM key printed by a tool that logs each
 * line; the runner once missed those, GHSA-4mgv-m5cm-f9h7), base64-encoded (a Basic
 * auth header, a JWT, a Kubernetes secret), percent-encoded (a query string, a form
 * body) and JSON-escaped (a request body in a debug log); see `maskedForms`.
 */
import { maskedForms } from './mask-forms.js';

/** A value to mask, optionally with its secret name (used in warnings, never the value). */
export type MaskedValue = string | { name: string; value: string };

/** Default minimum length: shorter values are not masked (see `createSecretMasker`). */
export const DEFAULT_MIN_MASK_LENGTH = 3;

/** How patterns are derived. */
export interface MaskPatternOptions {
  minLength: number;
  onWarning: (message: string) => void;
}

/** Every distinct string to mask for `values`. */
export function deriveMaskPatterns(values: readonly MaskedValue[], options: MaskPatternOptions): string[] {
  const patterns = new Set<string>();
  const addFormsOf = (text: string): void => {
    for (const form of maskedForms(text)) if (form.length >= options.minLength) patterns.add(form);
  };

  values.forEach((entry, index) => {
    const value = typeof entry === 'string' ? entry : entry.value;
    if (value.length === 0) return; // Nothing to hide, and masking '' would match everywhere.
    const label = typeof entry === 'string' ? `value #${index + 1}` : `secret ${entry.name}`;
    if (isBlank(value)) {
      options.onWarning(
        `${label} is only whitespace and is not masked in output; masking it would hide every such run of spaces.`,
      );
      return;
    }
    if (value.length < options.minLength) {
      options.onWarning(
        `${label} is shorter than ${options.minLength} characters and is not masked in output; ` +
          'masking so short a string would garble every line.',
      );
      return;
    }
    addFormsOf(value);
    // Each line of a multi-line value on its own, and without its indentation, since
    // tools often print such values one line at a time or re-indented. A line of
    // nothing but whitespace is never registered (as in GitHub's runner): it would
    // turn every matching run of spaces in the output into ***.
    const lines = value.split(/\r\n|\r|\n/);
    if (lines.length > 1) {
      for (const line of lines) {
        if (isBlank(line)) continue;
        for (const variant of new Set([line, line.trim()])) {
          if (variant.length >= options.minLength) addFormsOf(variant);
        }
      }
    }
  });
  return [...patterns];
}

/** Empty or whitespace only (Unicode white space, as `String.prototype.trim` sees it). */
function isBlank(text: string): boolean {
  return text.trim().length === 0;
}
