/**
 * The one definition of "the strings of a template": a string itself, or every
 * string value inside nested arrays and plain objects (a workflow definition
 * parsed from JSON or YAML).
 *
 * Object keys are structure (field names, step ids), not content, so they are
 * neither scanned nor rendered: a key holding `{{secrets.X}}` stays as written.
 * Anything other than strings, arrays and plain objects (numbers, booleans,
 * null, Dates, class instances) is passed through untouched.
 */

/**
 * How deep arrays and objects may nest. Real workflow definitions stay within tens of
 * levels; the limit turns a hostile, absurdly deep document into a clear error
 * instead of a stack overflow.
 */
export const MAX_TEMPLATE_DEPTH = 1_000;

/** Calls `visit` for every string in `input`, depth first, in document order. */
export function forEachTemplateString(input: unknown, visit: (text: string) => void): void {
  mapTemplateStrings(input, (text) => {
    visit(text);
    return text;
  });
}

/**
 * Returns a copy of `input` in which every string went through `map`; arrays and
 * plain objects are rebuilt, so the input is never mutated. Throws a TypeError on
 * a circular structure, which no workflow definition can be, and on one nested
 * deeper than MAX_TEMPLATE_DEPTH.
 */
export function mapTemplateStrings(input: unknown, map: (text: string) => string): unknown {
  const ancestors = new Set<object>();

  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return map(value);
    if (Array.isArray(value)) return within(value, () => value.map(walk));
    if (isPlainObject(value)) {
      return within(value, () => {
        const copy: Record<string, unknown> =
          Object.getPrototypeOf(value) === null ? Object.create(null) : {};
        for (const [key, child] of Object.entries(value)) copy[key] = walk(child);
        return copy;
      });
    }
    return value;
  };

  const within = <T>(node: object, body: () => T): T => {
    if (ancestors.has(node)) throw new TypeError('the template is a circular structure');
    if (ancestors.size >= MAX_TEMPLATE_DEPTH) {
      throw new TypeError(`the template nests deeper than ${MAX_TEMPLATE_DEPTH} levels`);
    }
    ancestors.add(node);
    try {
      return body();
    } finally {
      ancestors.delete(node);
    }
  };

  return walk(input);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
