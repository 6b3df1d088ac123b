import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dotenvNames, isDotenvPaste } from './dotenv-paste';

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
const plainValue = fc.stringMatching(/^[A-Za-z0-9+/=:@.-]{1,30}$/);

describe('a pasted .env text', () => {
  it('lists the names of the usual forms: export, quotes, multi-line, comments', () => {
    const text = [
      '# comment',
      'PLAIN=1',
      'export EXPORTED=2',
      "SINGLE='a # b'",
      'MULTI="first',
      'NOT_A_KEY=inside the quoted value"',
      'INLINE=x # note',
      'BACKTICK=`t`',
    ].join('\r\n');
    expect(dotenvNames(text)).toEqual(['PLAIN', 'EXPORTED', 'SINGLE', 'MULTI', 'INLINE', 'BACKTICK']);
  });

  it('is taken as an import in a Key field and as a value in a Value field when it is one line', () => {
    expect(isDotenvPaste('API_KEY=abc', 'key')).toBe(true);
    expect(isDotenvPaste('API_KEY=abc', 'value')).toBe(false);
    expect(isDotenvPaste('API_KEY', 'key')).toBe(false);
  });

  it('is taken as an import in a Value field when several lines start with KEY=', () => {
    expect(isDotenvPaste('A=1\nB=2\n', 'value')).toBe(true);
    expect(isDotenvPaste('\n# exported from the vault\nexport A=1\nB=2', 'value')).toBe(true);
  });

  it('leaves multi-line values that are not .env alone (PEM keys, JSON, base64 lines)', () => {
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA==\n-----END PRIVATE KEY-----';
    expect(isDotenvPaste(pem, 'value')).toBe(false);
    expect(isDotenvPaste('{\n  "type": "service_account"\n}', 'value')).toBe(false);
    expect(isDotenvPaste('dGhpcyBpcyBiYXNlNjQ=\ndGhpcyB0b28=', 'value')).toBe(false);
  });

  it('finds every name of generated KEY=VALUE lines, in order, whatever the line endings', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 1, maxLength: 8 }),
        fc.array(plainValue, { minLength: 8, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (names, values, eol, exported) => {
          const text = names.map((n, i) => `${exported ? 'export ' : ''}${n}=${values[i]}`).join(eol);
          expect(dotenvNames(text)).toEqual(names);
          expect(isDotenvPaste(text, 'key')).toBe(true);
          expect(isDotenvPaste(text, 'value')).toBe(names.length > 1);
        },
      ),
    );
  });

  it('never takes a single-line paste into a Value field for an import', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[\r\n]/.test(s)),
        (s) => !isDotenvPaste(s, 'value'),
      ),
    );
  });
});
