import { referenceObjectName } from './secret-reference-object.js';
import { mapTemplate } from './template-walk.js';

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
 * The distinct secret names referenced by `input`, in the order they first
 * appear. `input` is a string, or a workflow definition of nested arrays and
 * plain objects (parsed JSON or YAML; object keys do not count) whose string
 * values may hold `{{secrets.NAME}}` and which may hold reference objects
 * `{ source: 'secret', name: NAME }` (the journey form). A reference object
 * without a valid name throws `InvalidSecretReferenceError`.
 *
 * @example extractSecretReferences({ headers: { Authorization: 'Bearer {{ secrets.API_TOKEN }}' } }) // ['API_TOKEN']
 * @example extractSecretReferences({ values: { api_key: { source: 'secret', name: 'payments-api-key' } } }) // ['payments-api-key']
 */
export function extractSecretReferences(input: unknown): string[] {
  const names = new Set<string>();
  mapTemplate(input, {
    text: (text) => {
      for (const match of text.matchAll(secretReferencePattern())) names.add(match[1] as string);
      return text;
    },
    reference: (reference, path) => {
      names.add(referenceObjectName(reference, path));
      return reference;
    },
  });
  return [...names];
}
