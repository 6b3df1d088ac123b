import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../services/sdk/render-template.js';
import { extractSecretReferences } from '../../services/sdk/secret-references.js';
import { InvalidSecretReferenceError, MissingTemplateValuesError } from '../../services/sdk/sdk-errors.js';
import { parseTemplateText } from '../../services/sdk/template-file.js';

/** The journey of seed 000, as its YAML records the reference. */
const SEED_000_YAML = `values:
  api_key:
    source: secret
    name: payments-api-key
`;

const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,20}$/);
/** A leaf: plain text, a {{secrets.NAME}} string, or a reference object; each with the names it holds. */
const leafArb = fc.oneof(
  fc
    .string({ maxLength: 8 })
    .filter((t) => !t.includes('{{'))
    .map((text) => ({ doc: text as unknown, names: [] as string[] })),
  nameArb.map((name) => ({ doc: `Bearer {{ secrets.${name} }}` as unknown, names: [name] })),
  nameArb.map((name) => ({ doc: { source: 'secret', name } as unknown, names: [name] })),
  fc.tuple(nameArb, fc.string({ maxLength: 10 })).map(([name, description]) => ({
    doc: { description, source: 'secret', name } as unknown,
    names: [name],
  })),
);
type Built = { doc: unknown; names: string[] };
const treeArb: fc.Arbitrary<Built> = fc.letrec<{ node: Built }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('node'), { maxLength: 4 }).map((items) => ({
      doc: items.map((i) => i.doc),
      names: items.flatMap((i) => i.names),
    })),
    fc
      .uniqueArray(fc.tuple(fc.string({ maxLength: 5 }), tie('node')), { maxLength: 4, selector: ([k]) => k })
      .map((entries) => {
        const doc = Object.fromEntries(entries.map(([k, v]) => [k, v.doc]));
        const byKey = new Map(entries);
        // In the object's own key order (integer-like keys come first), as a walk sees it.
        return { doc, names: Object.keys(doc).flatMap((k) => byKey.get(k)!.names) };
      }),
  ),
})).node;

describe('reference objects (source: secret)', () => {
  it('are found in the YAML and the JSON of seed 000 and replaced by the value', () => {
    const fromYaml = parseTemplateText(SEED_000_YAML, 'yaml');
    const fromJson = parseTemplateText(
      '{"values": {"api_key": {"source": "secret", "name": "payments-api-key"}}}',
      'json',
    );
    for (const journey of [fromYaml, fromJson]) {
      expect(extractSecretReferences(journey)).toEqual(['payments-api-key']);
      expect(renderTemplate(journey, { 'payments-api-key': 'pk_live_42' })).toEqual({
        values: { api_key: 'pk_live_42' },
      });
    }
    // The YAML text itself, unparsed, holds no {{ }} reference: only parsing finds the object form.
    expect(extractSecretReferences(SEED_000_YAML)).toEqual([]);
  });

  it('are found beside {{secrets.NAME}} anywhere in a document, in document order', () => {
    fc.assert(
      fc.property(treeArb, ({ doc, names }) => {
        expect(extractSecretReferences(doc)).toEqual([...new Set(names)]);
      }),
    );
  });

  it('are all replaced once every name has a value, and the input is left as it was', () => {
    fc.assert(
      fc.property(treeArb, ({ doc, names }) => {
        const before = JSON.stringify(doc);
        const values = Object.fromEntries(names.map((n, i) => [n, `value-${i}`]));
        const rendered = renderTemplate(doc, values);
        expect(extractSecretReferences(rendered)).toEqual([]);
        expect(JSON.stringify(rendered)).not.toContain('"source":"secret"');
        expect(JSON.stringify(doc)).toBe(before);
      }),
    );
  });

  it('a missing value is reported like a missing {{ }} reference', () => {
    const journey = { a: { source: 'secret', name: 'payments-api-key' }, b: '{{secrets.OTHER}}' };
    expect(() => renderTemplate(journey, { OTHER: 'x' })).toThrow(MissingTemplateValuesError);
    try {
      renderTemplate(journey, {});
    } catch (error) {
      expect((error as MissingTemplateValuesError).missingNames).toEqual(['payments-api-key', 'OTHER']);
    }
  });

  it('an invalid or missing name is an error that says where, never what was written', () => {
    const pasted = 'sk_live_pasted value!';
    const journey = { steps: [{ auth: { source: 'secret', name: pasted } }] };
    for (const act of [() => extractSecretReferences(journey), () => renderTemplate(journey, {})]) {
      let caught: unknown;
      try {
        act();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidSecretReferenceError);
      expect((caught as Error).message).toContain('steps[0].auth');
      expect((caught as Error).message).not.toContain(pasted);
    }
    expect(() => extractSecretReferences({ x: { source: 'secret' } })).toThrow(/at x needs a name/);
    expect(() => extractSecretReferences({ x: { source: 'secret', name: 42 } })).toThrow(
      InvalidSecretReferenceError,
    );
  });

  it('only source: secret makes a reference: other sources, keys and class instances are left alone', () => {
    const journey = {
      a: { source: 'env', name: 'HOME' },
      b: { Source: 'secret', name: 'X' },
      'source: secret': 'name',
      c: Object.assign(Object.create({ kind: 'class' }) as object, { source: 'secret', name: 'Y' }),
    };
    expect(extractSecretReferences(journey)).toEqual([]);
    expect(renderTemplate(journey, {})).toEqual(journey);
  });

  it('keeps an own __proto__ key of a parsed document as an ordinary key', () => {
    const doc = JSON.parse('{"__proto__": {"token": "{{secrets.T}}"}}') as unknown;
    const rendered = renderTemplate(doc, { T: 't' }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rendered, '__proto__')?.value).toEqual({ token: 't' });
  });
});
