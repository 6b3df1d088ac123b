import fc from 'fast-check';

/** Characters that break parsers, terminals, databases and regexes. */
const NASTY = [
  '\u0000',
  '\ud800',
  '\udc00',
  '\ud83d',
  '\u202e',
  '\ufeff',
  '\u0085',
  '\u2028',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\u001b[31m',
  '"',
  "'",
  '`',
  '\\',
  '#',
  '=',
  '$',
  '%',
  '_',
  '{{',
  '}}',
  'secrets.',
  'export ',
  '😀',
  'é',
  '\u0301',
];

const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom(...NASTY),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/),
);

/**
 * A string built to hurt: arbitrary code points (lone surrogates included), control
 * characters, NUL, bidi overrides, syntax of .env and templates, valid-looking names,
 * and now and then one character repeated up to ~100 K times.
 */
export const hostileString = (maxPieces = 12): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 9, arbitrary: fc.array(piece, { maxLength: maxPieces }).map((p) => p.join('')) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.integer({ min: 1_000, max: 100_000 }),
          fc.constantFrom('A', '\u0000', '😀', '\ud800', 'é', ' ', '='),
        )
        .map(([n, c]) => c.repeat(n)),
    },
  );

/** Stands for JSON text too deep or too large to build as a JS value (JSON.stringify recurses). */
export class RawJson {
  constructor(readonly text: string) {}
}

const deepJson = fc
  .tuple(fc.integer({ min: 1_000, max: 10_000 }), fc.constantFrom('array', 'object'))
  .map(([depth, kind]) =>
    kind === 'array'
      ? new RawJson('['.repeat(depth) + ']'.repeat(depth))
      : new RawJson('{"value":'.repeat(depth) + '"x"' + '}'.repeat(depth)),
  );
const hugeArray = fc
  .tuple(fc.integer({ min: 10_000, max: 100_000 }), fc.constantFrom('"N"', '1', 'null', '{}'))
  .map(([n, item]) => new RawJson(`[${new Array<string>(n).fill(item).join(',')}]`));

/**
 * A GraphQL variable of any shape: wrong types, nested objects and arrays, hostile
 * strings, input objects whose `value` field carries a canary (as a string, or in a
 * wrong type: a number, a list, an object), JSON 10,000 levels deep and arrays of
 * 100,000 items.
 */
export const hostileVariable = (canary: string, canaryNumber: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 3, arbitrary: hostileString() },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.dictionary(
            fc.constantFrom(
              'name',
              'id',
              'dotenv',
              'scope',
              'onConflict',
              'nameContains',
              'trigger',
              'userId',
              'integration',
              'extra',
            ),
            fc.oneof(hostileString(), fc.jsonValue({ maxDepth: 2 })),
          ),
          fc.constantFrom<unknown>(canary, canaryNumber, [canary], { plain: canary }, `${canary}; x"`),
        )
        .map(([fields, value]) => ({ ...fields, value })),
    },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: hugeArray },
  );

/** JSON text of `value`, with every RawJson spliced in as written. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `__RAW_JSON_${raws.length - 1}__`;
    }
    return v;
  });
  return text.replace(/"__RAW_JSON_(\d+)__"/g, (_m, i: string) => raws[Number(i)]!);
}
