import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDotenvStrict } from '../../services/core/secrets/dotenv-import.js';
import { DomainError } from '../../services/protocol/domain-error.js';

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
/** Values dotenv round-trips unquoted or double-quoted without special escapes. */
const plainValue = fc.stringMatching(/^[A-Za-z0-9_./:@+-]{1,40}$/);

describe('parseDotenvStrict (property tests)', () => {
  it('finds exactly the entries written, in order, with their line numbers', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.tuple(name, plainValue, fc.constantFrom('plain', 'export', 'double', 'single', 'comment')),
          {
            selector: ([n]) => n,
            minLength: 1,
            maxLength: 15,
          },
        ),
        fc.array(fc.constantFrom('', '# note', '   '), { maxLength: 3 }),
        (entries, filler) => {
          const lines: string[] = [];
          const expected: Array<{ name: string; value: string; line: number }> = [];
          for (const [key, value, style] of entries) {
            lines.push(...filler);
            const text =
              style === 'export'
                ? `export ${key}=${value}`
                : style === 'double'
                  ? `${key}="${value}"`
                  : style === 'single'
                    ? `${key}='${value}'`
                    : style === 'comment'
                      ? `${key}=${value} # trailing`
                      : `${key}=${value}`;
            lines.push(text);
            expected.push({ name: key, value, line: lines.length });
          }
          expect(parseDotenvStrict(lines.join('\n'))).toEqual(expected);
        },
      ),
    );
  });

  it('never throws anything but a BAD_USER_INPUT DomainError that names a real line, for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        try {
          parseDotenvStrict(text);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          const e = error as DomainError;
          expect(e.code).toBe('BAD_USER_INPUT');
          if (e.details.line !== undefined) {
            expect(e.details.line).toBeGreaterThanOrEqual(1);
            expect(e.details.line).toBeLessThanOrEqual(text.split(/\r\n?|\n/).length);
          }
        }
      }),
    );
  });

  it('a duplicated name is always rejected at its second line', () => {
    fc.assert(
      fc.property(name, plainValue, plainValue, fc.nat(5), (key, a, b, gap) => {
        const text = [`${key}=${a}`, ...Array.from({ length: gap }, () => ''), `${key}=${b}`].join('\n');
        expect(() => parseDotenvStrict(text)).toThrow(`Line ${gap + 2}`);
      }),
    );
  });
});
