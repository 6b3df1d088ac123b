import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMaskAutomaton } from '../../services/sdk/mask-automaton.js';
import { deriveMaskPatterns } from '../../services/sdk/mask-patterns.js';
import { createMaskingTransform } from '../../services/sdk/masking-stream.js';
import { createSecretMasker } from '../../services/sdk/secret-masker.js';
import { base64InnerOf, maskedLines, referenceForms, runThrough, splitAt } from './mask-support.js';

const MIN = 3;
// Values never contain '*': the mask itself is made of them, so "*** + text" could spell one.
const usable = (s: string) => !s.includes('*') && s.trim() !== '' && s.length >= MIN;
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
/** Few letters, so values overlap, repeat and contain one another; plus multi-byte and line breaks. */
const tinyUnit = fc.constantFrom('a', 'b', 'ab', 'é', '😀', '\n', ' ', '=', '/', '"', '+', '~', '!', '&');
const blankLine = fc.constantFrom('', ' ', '   ', '\t', ' \t ', '\u00a0');
/** Several lines, some of them blank, joined by any kind of line break. */
const multiLine = fc
  .tuple(
    fc.array(fc.oneof(printable, blankLine, fc.string({ unit: 'grapheme', maxLength: 12 })), {
      minLength: 2,
      maxLength: 5,
    }),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([lines, eol]) => lines.join(eol));
const valueArb = fc
  .oneof(
    printable.filter((s) => s.length <= 24),
    fc.string({ unit: 'grapheme', maxLength: 16 }),
    fc.string({ unit: 'binary', maxLength: 12 }), // any code point, lone surrogates included
    fc.string({ unit: tinyUnit, maxLength: 10 }),
    multiLine,
  )
  .filter(usable);
const valuesArb = fc.array(valueArb, { minLength: 1, maxLength: 3 });
const fillerArb = fc.string({
  unit: fc.oneof(tinyUnit, fc.constantFrom('c', 'x', '\r\n', '%', '\\', '%2', '\\u00')),
  maxLength: 8,
});

/** Every reference form of every value and of its non-blank lines, long enough to be masked. */
function formsOf(values: readonly string[]): string[] {
  const texts = values.flatMap((v) => [v, ...maskedLines(v, MIN)]);
  return [...new Set(texts.flatMap((t) => Object.values(referenceForms(t))))].filter((f) => f.length >= MIN);
}

/** Base64 and base64url blobs holding a value after `before` random bytes, with what must be masked in each. */
const blobArb = (values: string[]) =>
  fc
    .record({
      value: fc.constantFrom(...values),
      before: fc.uint8Array({ maxLength: 5 }),
      after: fc.uint8Array({ maxLength: 5 }),
      url: fc.boolean(),
    })
    .map(({ value, before, after, url }) => {
      const secret = Buffer.from(value);
      const blob = Buffer.concat([before, secret, after]).toString(url ? 'base64url' : 'base64');
      return { blob, inner: base64InnerOf(blob, before.length, secret.length) };
    });

/** Random text made of fillers, every form of the values, and base64 blobs that hold them. */
const scenarioArb = valuesArb.chain((values) =>
  fc.record({
    values: fc.constant(values),
    parts: fc.array(
      fc.oneof(
        fillerArb.map((text) => ({ text, inner: '' })),
        fc.constantFrom(...formsOf(values)).map((text) => ({ text, inner: '' })),
        blobArb(values).map(({ blob, inner }) => ({ text: blob, inner })),
      ),
      { maxLength: 10 },
    ),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
  }),
);

function mustNotSurvive(values: string[], parts: Array<{ inner: string }>): string[] {
  return [...formsOf(values), ...parts.map((p) => p.inner).filter((inner) => inner.length >= MIN)];
}

describe('createSecretMasker (properties)', () => {
  it('every form of a value, embedded in random text, is masked by mask() and by a stream cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ values, parts, cuts }) => {
        const text = parts.map((p) => p.text).join('');
        const masker = createSecretMasker(values);
        const masked = masker.mask(text);
        for (const form of mustNotSurvive(values, parts)) expect(masked).not.toContain(form);
        const streamed = await runThrough(masker.createMaskingStream(), splitAt(Buffer.from(text), cuts));
        expect(streamed.toString('utf8')).toBe(Buffer.from(masked).toString('utf8'));
      }),
      { numRuns: 400 },
    );
  });

  it('a stream forced to cut early (tiny hold limit) still lets nothing through', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ values, parts, cuts }) => {
        const text = parts.map((p) => p.text).join('');
        const patterns = deriveMaskPatterns(values, { minLength: MIN, onWarning: () => {} });
        const automaton = compileMaskAutomaton(patterns.map((p) => Buffer.from(p)));
        const out = await runThrough(createMaskingTransform(automaton, 0), splitAt(Buffer.from(text), cuts));
        for (const form of mustNotSurvive(values, parts)) expect(out.toString('utf8')).not.toContain(form);
      }),
      { numRuns: 200 },
    );
  });

  it('text that holds no value is returned unchanged, byte for byte, even when it holds parts of one', async () => {
    // Text close to the values (their forms cut short) mixed with arbitrary code units and bytes.
    const nearArb = valuesArb.chain((values) =>
      fc.record({
        values: fc.constant(values),
        text: fc
          .array(
            fc.oneof(
              fc.string({ unit: 'binary', maxLength: 6 }),
              fc
                .constantFrom(...formsOf(values))
                .chain((form) => fc.nat(form.length - 1).map((n) => form.slice(0, n))),
            ),
            { maxLength: 8 },
          )
          .map((parts) => parts.join('')),
        bytes: fc.uint8Array({ maxLength: 64 }),
        cuts: fc.array(fc.nat(), { maxLength: 6 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(nearArb, async ({ values, text, bytes, cuts }) => {
        const patterns = deriveMaskPatterns(values, { minLength: MIN, onWarning: () => {} });
        const masker = createSecretMasker(values);
        const encoded = Buffer.from(text);
        fc.pre(!patterns.some((p) => encoded.includes(p)));
        expect(masker.mask(text)).toBe(text); // lone surrogates included
        expect(await runThrough(masker.createMaskingStream(), splitAt(encoded, cuts))).toEqual(encoded);
        const binary = Buffer.from(bytes);
        fc.pre(!patterns.some((p) => binary.includes(p)));
        expect(await runThrough(masker.createMaskingStream(), splitAt(binary, cuts))).toEqual(binary);
      }),
      { numRuns: 300 },
    );
  });

  it('whitespace-only lines of a value never mask anything', async () => {
    const withBlankLines = fc
      .tuple(fc.array(fc.oneof(printable, blankLine), { minLength: 1, maxLength: 4 }), blankLine)
      .map(([lines, blank]) => [blank, ...lines, blank].join('\n'))
      .filter(usable);
    const whitespace = fc.string({
      unit: fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '  '),
      maxLength: 40,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(withBlankLines, { minLength: 1, maxLength: 3 }),
        whitespace,
        fc.array(fc.nat()),
        async (values, text, cuts) => {
          const masker = createSecretMasker(values);
          expect(masker.mask(text)).toBe(text);
          const streamed = await runThrough(masker.createMaskingStream(), splitAt(Buffer.from(text), cuts));
          expect(streamed.toString('utf8')).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the platform encoders produce no form the masker does not derive (single values, no text around)', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        const patterns = new Set(deriveMaskPatterns([value], { minLength: MIN, onWarning: () => {} }));
        for (const [name, form] of Object.entries(referenceForms(value)))
          if (form.length >= MIN) expect(patterns.has(form), `${name}: ${form}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
