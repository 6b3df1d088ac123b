import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractSecretReferences } from '../../services/sdk/secret-references.js';
import { renderTemplate } from '../../services/sdk/render-template.js';
import { MissingTemplateValuesError } from '../../services/sdk/sdk-errors.js';

const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/);
const spaceArb = fc.constantFrom('', ' ', '  ', '\t', '\n ');
const referenceArb = fc
  .tuple(nameArb, spaceArb, spaceArb)
  .map(([name, before, after]) => ({ name, text: `{{${before}secrets.${name}${after}}}` }));
/** Text near the syntax: braces, dots, "secrets", unicode, but never the start of a reference. */
const fillerArb = fc
  .string({ unit: fc.constantFrom('{', '}', '.', ' ', 's', 'secrets', 'A', '_', '-', 'é', '😀', '\n', '$') })
  .filter((text) => !/\{\{\s*secrets\./.test(text));
/** Things that look like references and are not. */
const decoyArb = fc.constantFrom(
  '{{ steps.fetch.output }}',
  '{{secrets.}}',
  '{{secrets.1abc}}',
  '{{ secrets.has space }}',
  `{{secrets.${'A'.repeat(129)}}}`,
  '{secrets.SINGLE}',
  '{{env.HOME}}',
  '{{ secrets .X }}',
);
const pieceArb = fc.oneof(
  { weight: 2, arbitrary: referenceArb },
  { weight: 2, arbitrary: fillerArb.map((text) => ({ name: undefined, text })) },
  { weight: 1, arbitrary: decoyArb.map((text) => ({ name: undefined, text })) },
);
type Piece = { name: string | undefined; text: string };
const join = (pieces: Piece[]): string => pieces.map((p) => p.text).join('');
/**
 * Pieces side by side can spell a reference none of them holds ("{" + "{secrets.X}" + "}"),
 * so a list is kept only when its text opens exactly as many references as it inserted.
 */
const textArb = fc
  .array(pieceArb, { maxLength: 12 })
  .filter(
    (pieces) =>
      (join(pieces).match(/\{\{\s*secrets\./g) ?? []).length ===
      pieces.filter((p) => p.name !== undefined).length,
  );

/** A workflow definition: nested arrays and objects whose string leaves are made of pieces. */
const treeArb = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textArb,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 4 }),
  ),
})).node;

const namesIn = (pieces: Piece[]): string[] => pieces.flatMap((p) => (p.name === undefined ? [] : [p.name]));
/** Turns a tree of piece lists into the document and the names it references, in order. */
function materialise(tree: unknown, names: string[] = []): { doc: unknown; names: string[] } {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node) && (node.length === 0 || isPiece(node[0]))) {
      names.push(...namesIn(node as Piece[]));
      return join(node as Piece[]);
    }
    if (Array.isArray(node)) return node.map(walk);
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, walk(v)]));
  };
  return { doc: walk(tree), names };
}
const isPiece = (value: unknown): boolean => typeof value === 'object' && value !== null && 'text' in value;

describe('extractSecretReferences', () => {
  it('finds exactly the distinct names inserted into random text, in first-seen order', () => {
    fc.assert(
      fc.property(textArb, (pieces) => {
        expect(extractSecretReferences(join(pieces))).toEqual([...new Set(namesIn(pieces))]);
      }),
    );
  });

  it('finds exactly the names inserted anywhere in a nested workflow definition', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const { doc, names } = materialise(tree);
        expect(extractSecretReferences(doc)).toEqual([...new Set(names)]);
      }),
    );
  });

  it('allows whitespace inside the braces and ignores other expressions', () => {
    expect(extractSecretReferences('a {{ secrets.A }} b {{secrets.B}} {{ vars.C }} {{secrets.A}}')).toEqual([
      'A',
      'B',
    ]);
    expect(extractSecretReferences('{{{secrets.X}}} ${{ secrets.Y }}')).toEqual(['X', 'Y']);
    expect(extractSecretReferences(`{{secrets.${'a'.repeat(128)}}}`)).toEqual(['a'.repeat(128)]);
    expect(extractSecretReferences(`{{secrets.${'a'.repeat(129)}}}`)).toEqual([]);
  });

  it('walks values but not object keys, and skips non-strings', () => {
    const workflow = {
      '{{secrets.KEY_IN_KEY}}': 'x',
      steps: [{ url: 'https://api/{{secrets.IN_ARRAY}}', retries: 3, enabled: true, at: new Date(0) }, null],
      env: { TOKEN: '{{ secrets.TOKEN }}' },
    };
    expect(extractSecretReferences(workflow)).toEqual(['IN_ARRAY', 'TOKEN']);
    expect(extractSecretReferences(42)).toEqual([]);
  });

  it('refuses a circular structure', () => {
    const loop: Record<string, unknown> = { a: '{{secrets.A}}' };
    loop.self = loop;
    expect(() => extractSecretReferences(loop)).toThrow(TypeError);
  });
});

describe('renderTemplate', () => {
  const valueArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });

  it('leaves no reference behind once every name has a value', () => {
    fc.assert(
      fc.property(treeArb, fc.func(valueArb), (tree, pick) => {
        const { doc } = materialise(tree);
        // Decoy fragments can join into real references, so take the names the document
        // really holds; brace-free values cannot form new references with their neighbours.
        const names = extractSecretReferences(doc);
        const values = Object.fromEntries(names.map((n) => [n, pick(n).replace(/[{}]/g, '') || 'x']));
        expect(extractSecretReferences(renderTemplate(doc, values))).toEqual([]);
      }),
    );
  });

  it('substitutes exactly once: values are never scanned again, even when they look like references', () => {
    const sneaky = fc.oneof(
      valueArb,
      referenceArb.map((r) => r.text),
    );
    fc.assert(
      fc.property(textArb, fc.func(sneaky), (pieces, pick) => {
        const values = Object.fromEntries(namesIn(pieces).map((n) => [n, pick(n) || 'x']));
        const expected = pieces.map((p) => (p.name === undefined ? p.text : values[p.name])).join('');
        expect(renderTemplate(join(pieces), values)).toBe(expected);
      }),
    );
  });

  it('names every missing reference instead of rendering an empty string', () => {
    const template = { a: '{{secrets.A}} {{secrets.B}}', b: ['{{ secrets.C }}', '{{secrets.A}}'] };
    const error = catchError(() => renderTemplate(template, { B: 'b', C: '' }));
    expect(error).toBeInstanceOf(MissingTemplateValuesError);
    expect((error as MissingTemplateValuesError).missingNames).toEqual(['A', 'C']);
    expect((error as Error).message).toContain('A, C');
  });

  it('does not find values on the prototype chain', () => {
    expect(() => renderTemplate('{{secrets.constructor}} {{secrets.toString}}', {})).toThrow(
      MissingTemplateValuesError,
    );
  });

  it('returns a new structure, keeps keys and non-strings, and accepts maps and resolved lists', () => {
    const template = { '{{secrets.K}}': '{{secrets.V}}', list: [1, '{{ secrets.V }}!', null] };
    const out = renderTemplate(template, new Map([['V', '$&v$1']]));
    expect(out).toEqual({ '{{secrets.K}}': '$&v$1', list: [1, '$&v$1!', null] });
    expect(template.list[1]).toBe('{{ secrets.V }}!');
    expect(renderTemplate('héllo {{secrets.U}}', [{ name: 'U', value: '😀\nwörld' }])).toBe(
      'héllo 😀\nwörld',
    );
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
