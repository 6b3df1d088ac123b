import { MissingTemplateValuesError } from './sdk-errors.js';
import { secretReferencePattern } from './secret-references.js';
import { referenceObjectName } from './secret-reference-object.js';
import { mapTemplate } from './template-walk.js';

/** Values by secret name: a plain record, a Map, or what a resolver client returned. */
export type TemplateValues =
  | Readonly<Record<string, string>>
  | ReadonlyMap<string, string>
  | ReadonlyArray<{ name: string; value: string }>;

/**
 * Replaces every `{{secrets.NAME}}` in `template` (a string, or nested arrays and
 * plain objects, whose keys are left alone) with its value, and every reference
 * object `{ source: 'secret', name: NAME }` with its value as a string, and
 * returns a new structure; the input is not modified.
 *
 * One pass: a substituted value is never scanned again, so a value that happens
 * to contain `{{secrets.OTHER}}` cannot pull in another secret. A reference
 * without a value (or with an empty one: SPEC §3 values are at least one byte)
 * throws `MissingTemplateValuesError` naming every such reference; nothing is
 * rendered as an empty string.
 *
 * A reference object without a valid name throws `InvalidSecretReferenceError`.
 *
 * @example renderTemplate('Bearer {{ secrets.TOKEN }}', { TOKEN: 't0k3n' }) // 'Bearer t0k3n'
 * @example renderTemplate({ api_key: { source: 'secret', name: 'payments-api-key' } }, values) // { api_key: '…' }
 */
export function renderTemplate<T>(template: T, values: TemplateValues): T {
  const lookup = toLookup(values);
  const missing = new Set<string>();
  const valueOf = (name: string): string | undefined => {
    const value = lookup(name);
    if (value !== undefined && value !== '') return value;
    missing.add(name);
    return undefined;
  };
  const rendered = mapTemplate(template, {
    text: (text) =>
      text.replace(secretReferencePattern(), (reference, name: string) => valueOf(name) ?? reference),
    reference: (reference, path) => valueOf(referenceObjectName(reference, path)) ?? reference,
  });
  if (missing.size > 0) throw new MissingTemplateValuesError([...missing]);
  return rendered as T;
}

function toLookup(values: TemplateValues): (name: string) => string | undefined {
  if (values instanceof Map) return (name) => values.get(name);
  if (Array.isArray(values)) {
    const byName = new Map(values.map((entry: { name: string; value: string }) => [entry.name, entry.value]));
    return (name) => byName.get(name);
  }
  // Own properties only: `{{secrets.constructor}}` must not find Object.prototype.constructor.
  const record = values as Readonly<Record<string, string>>;
  return (name) =>
    Object.hasOwn(record, name) && typeof record[name] === 'string' ? record[name] : undefined;
}
