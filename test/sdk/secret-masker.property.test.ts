import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretMasker } from '../../services/sdk/secret-masker.js';
import { createMaskingTransform } from '../../services/sdk/masking-stream.js';
import { deriveMaskPatterns } from '../../services/sdk/mask-patterns.js';
import { encodedForms, runThrough, splitAt } from './mask-support.js';

const MIN = 3;
// Values never contain '*': the mask itself is made of them, so "*** + text" could spell one.
const noStar = (s: string) => !s.includes('*');
/** Few letters, so values overlap, repeat and contain one another; plus multi-byte and line breaks. */
const tinyUnit = fc.constantFrom('a', 'b', 'ab', 'é', '😀', '\n', ' ', '=', '/', '"');
const valueArb = fc
  .oneof(
    fc.string({ unit: tinyUnit, minLength: MIN, maxLength: 10 }),
    fc.string({ unit: 'grapheme', minLength: MIN, maxLength: 24 }),
  )
  .filter(noStar);
const valuesArb = fc.array(valueArb, { minLength: 1, maxLength: 4 });
const fillerArb = fc.string({
  unit: fc.oneof(tinyUnit, fc.constantFrom('c', 'x', '\r\n', '%', '\\')),
  maxLength: 8,
});

/** Random text made of fillers and of the values in any of their forms (or one of their lines). */
const textFor = (values: string[]) =>
  fc
    .array(
      fc.oneof(
        fillerArb,
        fc.constantFrom(...values.flatMap(encodedForms)),
        fc.constantFrom(...values.flatMap((v) => v.split(/\r\n|\r|\n/))),
      ),
      { maxLength: 14 },
    )
    .map((parts) => parts.join(''));

const scenarioArb = valuesArb.chain((values) =>
  fc.record({
    values: fc.constant(values),
    text: textFor(values),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
  }),
);

/** Every form that must never appear in masked output: whole values, encodings, long-enough lines. */
function forbidden(values: string[]): string[] {
  const lines = values.flatMap((v) => v.split(/\r\n|\r|\n/)).filter((line) => line.length >= MIN);
  return [...values, ...lines].flatMap(encodedForms).filter((f) => f.length >= MIN);
}

describe('createSecretMasker (properties)', () => {
  it('mask() lets no value, line of a value, or encoded form through', () => {
    fc.assert(
      fc.property(scenarioArb, ({ values, text }) => {
        const masked = createSecretMasker(values).mask(text);
        for (const form of forbidden(values)) expect(masked).not.toContain(form);
      }),
      { numRuns: 300 },
    );
  });

  it('a stream split at random byte offsets emits exactly what mask() gives for the whole text', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ values, text, cuts }) => {
        const masker = createSecretMasker(values);
        const out = await runThrough(masker.createMaskingStream(), splitAt(Buffer.from(text), cuts));
        expect(out.toString('utf8')).toBe(masker.mask(text));
      }),
      { numRuns: 300 },
    );
  });

  it('a stream forced to cut early (tiny hold limit) still lets nothing through', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ values, text, cuts }) => {
        const patterns = deriveMaskPatterns(values, { minLength: MIN, onWarning: () => {} });
        const out = await runThrough(createMaskingTransform(patterns, 0), splitAt(Buffer.from(text), cuts));
        for (const form of forbidden(values)) expect(out.toString('utf8')).not.toContain(form);
      }),
      { numRuns: 200 },
    );
  });

  it('masks a value wherever it sits inside a longer base64 text', () => {
    const bytesArb = fc.uint8Array({ maxLength: 7 });
    fc.assert(
      fc.property(valueArb, bytesArb, bytesArb, (value, before, after) => {
        const secret = Buffer.from(value);
        const blob = Buffer.concat([before, secret, after]).toString('base64');
        // The characters of the blob whose 6 bits all come from the secret, worked out from the blob itself.
        const inner = blob.slice(
          Math.ceil((8 * before.length) / 6),
          Math.floor((8 * (before.length + secret.length)) / 6),
        );
        fc.pre(inner.length >= MIN);
        expect(createSecretMasker([value]).mask(`log: ${blob} end`)).not.toContain(inner);
      }),
      { numRuns: 300 },
    );
  });
});
