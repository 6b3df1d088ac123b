import { isSecretReferenceObject } from './secret-reference-object.js';

/**
 * The one definition of "the leaves of a template": a string itself, or every
 * string value inside nested arrays and plain objects (a workflow definition
 * parsed from JSON or YAML), and every reference object (`{ source: secret,
 * name: … }`, see secret-reference-object.ts), which is a leaf: its own strings
 * are not text of the template.
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

/** Where a leaf is: object keys and array indexes from the root. */
export type TemplatePath = readonly (string | number)[];

/** What to do with each leaf of a template. */
export interface TemplateMapper {
  /** A string value: returns its replacement. */
  text: (text: string) => string;
  /** A reference object: returns what replaces the whole object. */
  reference: (reference: object, path: TemplatePath) => unknown;
}

/**
 * Returns a copy of `input` in which every string went through `mapper.text` and
 * every reference object was replaced by what `mapper.reference` returned, in
 * document order; arrays and plain objects are rebuilt, so the input is never
 * mutated. Throws a TypeError on a circular structure, which no workflow
 * definition can be, and on one nested deeper than MAX_TEMPLATE_DEPTH.
 */
export function mapTemplate(input: unknown, mapper: TemplateMapper): unknown {
  const ancestors = new Set<object>();
  const path: (string | number)[] = [];

  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return mapper.text(value);
    if (isSecretReferenceObject(value)) return mapper.reference(value, path);
    if (Array.isArray(value)) return within(value, () => value.map((item, i) => at(i, () => walk(item))));
    if (isPlainObject(value)) {
      return within(value, () => {
        const copy: Record<string, unknown> =
          Object.getPrototypeOf(value) === null ? Object.create(null) : {};
        for (const [key, child] of Object.entries(value)) {
          // defineProperty: assigning an own `__proto__` key (JSON.parse and YAML make them) would set the prototype.
          Object.defineProperty(copy, key, {
            value: at(key, () => walk(child)),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return copy;
      });
    }
    return value;
  };

  const at = <T>(key: string | number, body: () => T): T => {
    path.push(key);
    try {
      return body();
    } finally {
      path.pop();
    }
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
