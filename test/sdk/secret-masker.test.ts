import { describe, expect, it } from 'vitest';
import { createSecretMasker, DEFAULT_MIN_MASK_LENGTH } from '../../services/sdk/secret-masker.js';
import { base64Inner } from '../../services/sdk/mask-forms.js';
import { runThrough } from './mask-support.js';

describe('createSecretMasker', () => {
  it('masks every occurrence of a value', () => {
    const masker = createSecretMasker(['hunter2']);
    expect(masker.mask('pw=hunter2; again hunter2.')).toBe('pw=***; again ***.');
  });

  it('merges overlapping and adjacent hits into one ***', () => {
    const masker = createSecretMasker(['abcd', 'cdef', 'XYZW']);
    expect(masker.mask('[abcdef]')).toBe('[***]'); // overlapping
    expect(masker.mask('[abcdXYZW]')).toBe('[***]'); // adjacent
    expect(masker.mask('[abcd XYZW]')).toBe('[*** ***]');
    expect(createSecretMasker(['abab']).mask('xababababx')).toBe('x***x'); // a value overlapping itself
  });

  it('masks values that are substrings of one another', () => {
    const masker = createSecretMasker(['secret', 'secret-long-version']);
    expect(masker.mask('a secret-long-version b secret c secret-long')).toBe('a *** b *** c ***-long');
  });

  it('masks unicode values without breaking the surrounding characters', () => {
    const masker = createSecretMasker(['pässwörd😀', '秘密の鍵']);
    expect(masker.mask('😀pässwörd😀😀 und 秘密の鍵。')).toBe('😀***😀 und ***。');
  });

  it('masks each line of a multi-line value, with and without its indentation', () => {
    const pem = '-----BEGIN KEY-----\n  MIIBOgIBAAJBAKj34\r\n  GkxKw==\n-----END KEY-----';
    const masker = createSecretMasker([pem]);
    expect(masker.mask(`key:\n${pem}\n`)).toBe('key:\n***\n');
    expect(masker.mask('line: MIIBOgIBAAJBAKj34 and   GkxKw==')).toBe('line: *** and ***');
    expect(masker.mask('-----END KEY-----')).toBe('***');
  });

  it('masks base64 (also inside a longer base64 text), URL-encoded and JSON-escaped forms', () => {
    const value = 'p@ss w/"quotes"\\ & ünïcode\n2nd line';
    const masker = createSecretMasker([value]);
    const b64 = Buffer.from(value).toString('base64');
    expect(masker.mask(`Authorization: Basic ${b64}`)).toBe('Authorization: Basic ***');
    expect(masker.mask(`GET /?q=${encodeURIComponent(value)}&x=1`)).toBe('GET /?q=***&x=1');
    expect(masker.mask(`{"password":${JSON.stringify(value)}}`)).toBe('{"password":"***"}');
    for (const prefix of ['u:', 'us:', 'use:']) {
      const blob = Buffer.from(`${prefix}${value}`).toString('base64');
      const masked = masker.mask(blob);
      expect(masked).toContain('***');
      expect(masked.replace('***', '').length).toBeLessThanOrEqual(8); // only the few characters mixed with the prefix/padding remain
    }
  });

  it('computes the base64 characters that depend only on the value', () => {
    const bytes = Buffer.from('abcdef');
    expect(base64Inner(bytes, 0)).toBe('YWJjZGVm');
    // 'xabcdef' → eGFiY2RlZg==: 'eG' mixes in the 'x', the final 'Z' mixes in what follows.
    expect(base64Inner(bytes, 1)).toBe(Buffer.from('xabcdef').toString('base64').slice(2, 9));
    expect(base64Inner(bytes, 2)).toBe(Buffer.from('xyabcdef').toString('base64').slice(3, 10));
  });

  it('does not mask values below the minimum length, and warns without the value', () => {
    const warnings: string[] = [];
    const masker = createSecretMasker(['ab', { name: 'PIN', value: 'xy' }, 'long enough'], {
      onWarning: (m) => warnings.push(m),
    });
    expect(DEFAULT_MIN_MASK_LENGTH).toBe(3);
    expect(masker.mask('ab xy long enough')).toBe('ab xy ***');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('value #1');
    expect(warnings[1]).toContain('secret PIN');
    for (const warning of warnings) expect(warning).not.toMatch(/\bab\b|\bxy\b/);
    expect(createSecretMasker(['ab'], { minLength: 1 }).mask('ab')).toBe('***');
    expect(() => createSecretMasker([], { minLength: 0 })).toThrow(RangeError);
  });

  it('is a pass-through with nothing to mask', async () => {
    const masker = createSecretMasker(['', 'x']);
    expect(masker.patternCount).toBe(0);
    expect(masker.mask('anything')).toBe('anything');
    const bytes = Buffer.from([0xff, 0x00, 0xc3]);
    expect(await runThrough(masker.createMaskingStream(), [bytes])).toEqual(bytes);
  });
});

describe('createMaskingStream', () => {
  it('masks a value split across chunks, even inside a multi-byte character', async () => {
    const masker = createSecretMasker(['tök😀en']);
    const bytes = Buffer.from('a tök😀en b');
    const chunks = [...bytes].map((byte) => Buffer.from([byte])); // one byte at a time
    expect((await runThrough(masker.createMaskingStream(), chunks)).toString()).toBe('a *** b');
  });

  it('passes bytes that are not UTF-8 through unchanged', async () => {
    const masker = createSecretMasker(['secret']);
    const binary = Buffer.from([0xff, 0xfe, 0x80, ...Buffer.from('secret'), 0xc3]);
    const out = await runThrough(masker.createMaskingStream(), [binary.subarray(0, 5), binary.subarray(5)]);
    expect(out).toEqual(
      Buffer.concat([Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('***'), Buffer.from([0xc3])]),
    );
  });

  it('emits text that cannot start a value at once instead of holding it back', async () => {
    const stream = createSecretMasker(['secret']).createMaskingStream();
    const seen: string[] = [];
    stream.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    stream.write('Password: ');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.join('')).toBe('Password: ');
    stream.write('sec');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.join('')).toBe('Password: '); // 'sec' might become 'secret'
    stream.end('ret!\n');
    await new Promise((resolve) => stream.once('end', resolve));
    expect(seen.join('')).toBe('Password: ***!\n');
  });

  it('gives each stream its own state', async () => {
    const masker = createSecretMasker(['secret']);
    const [a, b] = [masker.createMaskingStream(), masker.createMaskingStream()];
    const outA = runThrough(a, [Buffer.from('sec')]);
    const outB = runThrough(b, [Buffer.from('ret')]);
    expect((await outA).toString()).toBe('sec');
    expect((await outB).toString()).toBe('ret');
  });
});
