import { forEachTemplateString } from './template-walk.js';

/**
 * A reference: `{{secrets.NAME}}`, with optional whitespace just inside the
 * braces (`{{ secrets.NAME }}`). NAME follows SPEC §3. Anything else between
 * double braces (`{{ steps.x.output }}`, `{{secrets.}}`, a 129-character name) is
 * not a secret reference and is left alone.
 *
 * A fresh RegExp per call: a shared global RegExp carries `lastIndex` between
 * callers.
 */
export function secretReferencePattern(): RegExp {
  return /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_-]{0,127})\s*\}\}/g;
}

/**
 * The distinct secret names referenced by `input` (a string, or a workflow
 * definition of nested arrays and plain objects; object keys do not count), in
 * the order they first appear.
 *
 * @example extractSecretReferences({ headers: { Authorization: 'Bearer {{ secrets.API_TOKEN }}' } }) // ['API_TOKEN']
 */
export function extractSecretReferences(input: unknown): string[] {
  const names = new Set<string>();
  forEachTemplateString(input, (text) => {
    for (const match of text.matchAll(secretReferencePattern())) names.add(match[1] as string);
  });
  return [...names];
}
