import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMaskAutomaton } from '../../services/sdk/mask-automaton.js';
import { maskIntervalsOf } from '../../services/sdk/mask-matcher.js';
import { naiveMaskIntervals } from './mask-support.js';

// Patterns and text over three letters: prefixes, suffixes, repeats and overlaps are the rule, not the exception.
const letters = fc.constantFrom(0x61, 0x62, 0x63);
const patternArb = fc.array(letters, { minLength: 1, maxLength: 6 }).map((b) => Buffer.from(b));
const textArb = fc.array(letters, { maxLength: 80 }).map((b) => Buffer.from(b));

describe('compileMaskAutomaton (against indexOf per pattern)', () => {
  it('finds the same merged intervals as searching for each pattern on its own', () => {
    fc.assert(
      fc.property(fc.array(patternArb, { maxLength: 12 }), textArb, (patterns, text) => {
        expect(maskIntervalsOf(compileMaskAutomaton(patterns), text)).toEqual(
          naiveMaskIntervals(text, patterns),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('reports, after any prefix of the text, the longest pattern prefix it could still complete', () => {
    fc.assert(
      fc.property(
        fc.array(patternArb, { minLength: 1, maxLength: 8 }),
        textArb,
        fc.constantFrom(1, 4, 8192),
        (patterns, text, maxDenseRows) => {
          const automaton = compileMaskAutomaton(patterns, { maxDenseRows });
          const state = automaton.scan(0, text, () => {});
          let expected = 0;
          for (let d = Math.min(text.length, automaton.longest); d > 0; d--) {
            const tail = text.subarray(text.length - d);
            if (patterns.some((p) => p.length >= d && p.subarray(0, d).equals(tail))) {
              expected = d;
              break;
            }
          }
          expect(automaton.depthOf(state)).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps the shallow nodes as a DFA and the deep ones sparse without changing the answer', () => {
    // More than 8,192 nodes: long random patterns over the whole byte range.
    const patterns = Array.from({ length: 400 }, (_, i) =>
      Buffer.from(Array.from({ length: 40 }, (_, j) => (i * 7919 + j * 104729 + ((i * j) % 251)) % 256)),
    );
    const automaton = compileMaskAutomaton(patterns);
    expect(automaton.nodeCount).toBeGreaterThan(8192);
    const text = Buffer.concat([
      Buffer.from('xx'),
      patterns[17]!,
      patterns[17]!.subarray(0, 20),
      patterns[399]!,
      Buffer.from('yy'),
    ]);
    expect(maskIntervalsOf(automaton, text)).toEqual(naiveMaskIntervals(text, patterns));
  });

  it('an automaton without patterns matches nothing', () => {
    const automaton = compileMaskAutomaton([Buffer.alloc(0)]);
    expect(automaton.longest).toBe(0);
    expect(maskIntervalsOf(automaton, Buffer.from('anything'))).toEqual([]);
  });
});
