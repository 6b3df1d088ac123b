import { describe, expect, it } from 'vitest';
import { base64Forms, maskedForms, percentEncodedForms } from '../../services/sdk/mask-forms.js';
import { jsonEscapedForms } from '../../services/sdk/mask-json-forms.js';
import { createSecretMasker } from '../../services/sdk/secret-masker.js';

describe('maskedForms: what each library writes', () => {
  it('percent-encodes with every common library’s set of unescaped characters, in both hex cases', () => {
    const forms = percentEncodedForms(Buffer.from("a b!~*'é/"));
    expect(forms).toEqual(
      expect.arrayContaining([
        "a%20b!~*'%C3%A9%2F", // encodeURIComponent
        'a%20b%21~%2A%27%C3%A9%2F', // Uri.EscapeDataString, rawurlencode (RFC 3986)
        'a%20b%21~%2A%27%C3%A9/', // Python quote()
        'a+b%21%7E*%27%C3%A9%2F', // URLSearchParams, Java URLEncoder
        'a+b%21~%2A%27%C3%A9%2F', // Python quote_plus, Go QueryEscape
        'a+b%21%7E%2A%27%C3%A9%2F', // PHP urlencode
        "a+b!~*'%C3%A9%2F", // encodeURIComponent, then %20 → +
        'a%20b%21~%2a%27%c3%a9%2f', // lower-case hex
        'a+b%21%7e*%27%c3%a9%2f',
      ]),
    );
    expect(forms).toContain(new URLSearchParams({ k: "a b!~*'é/" }).toString().slice(2));
  });

  it('escapes for JSON as JavaScript, Python, PHP, .NET, Go and Java serialisers do', () => {
    const forms = jsonEscapedForms('é/"<+>\n\u0001😀');
    expect(forms).toEqual(
      expect.arrayContaining([
        'é/\\"<+>\\n\\u0001😀', // JSON.stringify
        'é\\/\\"<+>\\n\\u0001😀', // PHP json_encode(JSON_UNESCAPED_UNICODE)
        '\\u00e9/\\"<+>\\n\\u0001\\ud83d\\ude00', // Python json.dumps
        '\\u00e9\\/\\"<+>\\n\\u0001\\ud83d\\ude00', // PHP json_encode
        '\\u00E9/\\u0022\\u003C\\u002B\\u003E\\n\\u0001\\uD83D\\uDE00', // .NET System.Text.Json
        'é/\\"\\u003c+\\u003e\\n\\u0001😀', // Go encoding/json
        '\\u00e9\\u002f\\u0022\\u003c\\u002b\\u003e\\u000a\\u0001\\ud83d\\ude00', // every character
        '\\u00E9\\u002F\\u0022\\u003C\\u002B\\u003E\\u000A\\u0001\\uD83D\\uDE00',
      ]),
    );
    expect(jsonEscapedForms('\u001f')).toContain('\\u001F'); // Jackson: upper-case hex
  });

  it('encodes base64 and base64url at each of the three byte alignments, padded and not', () => {
    const value = Buffer.from('k3y???>>>!'); // azN5Pz8/Pj4+IQ==: both alphabets differ, padding too
    const forms = base64Forms(value);
    expect(forms).toEqual(
      expect.arrayContaining(['azN5Pz8/Pj4+IQ==', 'azN5Pz8/Pj4+IQ', 'azN5Pz8_Pj4-IQ', 'azN5Pz8_Pj4-IQ==']),
    );
    for (const prefix of ['u', 'us', 'use']) {
      for (const encoding of ['base64', 'base64url'] as const) {
        const blob = Buffer.concat([Buffer.from(prefix), value]).toString(encoding);
        // What follows the characters that mix in the prefix is one of the forms, ending the blob.
        const first = Math.ceil((8 * prefix.length) / 6);
        expect(forms).toContain(blob.slice(first));
      }
    }
  });

  it('lists the value itself first and each form once', () => {
    const forms = maskedForms('plain-value');
    expect(forms[0]).toBe('plain-value');
    expect(new Set(forms).size).toBe(forms.length);
  });
});

describe('createSecretMasker: the leaks of issue 21', () => {
  it('leaves none of 2,000 random 20-character printable passwords unmasked in the forms the issue counted', () => {
    // The issue's measurement: 66 % of form-urlencoded, 18 % of base64url and 98 % of
    // lower-case %xx copies leaked. Here all 2,000 share one masker, as a runner's would.
    const printable = () => String.fromCharCode(33 + Math.floor(Math.random() * 94));
    const passwords = Array.from({ length: 2000 }, () => Array.from({ length: 20 }, printable).join(''));
    const all = createSecretMasker(passwords);
    const leaked: Record<string, number> = {
      form: 0,
      base64url: 0,
      lowerHex: 0,
      escapeDataString: 0,
      jsonSlash: 0,
    };
    for (const password of passwords) {
      const forms: Record<string, string> = {
        form: new URLSearchParams({ password }).toString().slice('password='.length),
        base64url: Buffer.from(password).toString('base64url'),
        lowerHex: encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
        escapeDataString: encodeURIComponent(password).replace(
          /[!'()*]/g,
          (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
        ),
        jsonSlash: JSON.stringify(password).slice(1, -1).replace(/\//g, '\\/'),
      };
      for (const [name, form] of Object.entries(forms))
        if (all.mask(`a ${form} b`) !== 'a *** b') leaked[name]!++;
    }
    expect(leaked).toEqual({ form: 0, base64url: 0, lowerHex: 0, escapeDataString: 0, jsonSlash: 0 });
  });

  const password = "Pa$$ w0rd!~'(x)/é";
  const masker = createSecretMasker([password]);

  it('masks an OAuth form body, a lower-case %xx copy and Uri.EscapeDataString', () => {
    const body = new URLSearchParams({ grant_type: 'password', username: 'ann', password }).toString();
    expect(masker.mask(body)).toBe('grant_type=password&username=ann&password=***');
    const lower = encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
    expect(masker.mask(`GET /login?p=${lower}`)).toBe('GET /login?p=***');
    const escapeDataString = encodeURIComponent(password).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
    expect(escapeDataString).toContain('%21');
    expect(masker.mask(`q=${escapeDataString}`)).toBe('q=***');
  });

  it('masks base64url in a JWT-like token and Python/PHP JSON escapes', () => {
    const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(password).toString('base64url')}.sig`;
    expect(masker.mask(token)).toBe('eyJhbGciOiJIUzI1NiJ9.***.sig');
    expect(masker.mask('{"p": "Pa$$ w0rd!~\'(x)\\/\\u00e9"}')).toBe('{"p": "***"}');
    expect(masker.mask('{"p": "Pa$$ w0rd!~\'(x)/\\u00e9"}')).toBe('{"p": "***"}');
  });

  it('never turns runs of spaces into *** because a multi-line value has a blank line', () => {
    const pem = 'line-one\n \n\t\n   \nline-two';
    const multi = createSecretMasker([pem]);
    expect(multi.mask('a b  c   d \t e')).toBe('a b  c   d \t e');
    expect(multi.mask(`x ${pem} y`)).toBe('x *** y');
    expect(multi.mask('line-two')).toBe('***');
  });

  it('warns about a whitespace-only value and does not mask it', () => {
    const warnings: string[] = [];
    const blank = createSecretMasker([{ name: 'SPACES', value: '    ' }], {
      onWarning: (m) => warnings.push(m),
    });
    expect(blank.patternCount).toBe(0);
    expect(blank.mask('a    b')).toBe('a    b');
    expect(warnings).toEqual([expect.stringContaining('secret SPACES is only whitespace')]);
  });
});
