/**
 * The forms one secret value takes when a program prints it, as the masker hides
 * them: the value itself, base64 and base64url, percent-encoding, and JSON string
 * escapes. Each encoder here follows what a widely used library produces, named
 * beside it, so a miss can be traced to a library we did not model (docs/sdk.md
 * has the table). Pure functions; the masker compiles their output into one
 * matcher, so adding a form costs memory, not time per byte of output.
 */
import { jsonEscapedForms } from './mask-json-forms.js';

/** Every distinct form of `value` to mask, the value itself first. */
export function maskedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [
    ...new Set([value, ...base64Forms(bytes), ...percentEncodedForms(bytes), ...jsonEscapedForms(value)]),
  ];
}

type Offset = 0 | 1 | 2;
const OFFSETS: readonly Offset[] = [0, 1, 2];

/**
 * base64 and base64url, padded and not, wherever the value sits in a larger
 * encoded buffer. base64 turns each 3 bytes into 4 characters, so the value's
 * byte offset modulo 3 changes its encoding entirely (`user:` + password in a
 * Basic auth header puts the password at offset 2). For each offset, the forms are:
 * - inner: the characters whose 6 bits all come from the value — fixed wherever
 *   it appears, even mid-buffer;
 * - tail: inner plus the last, partly zero-filled character, as when the value
 *   ends the buffer (unpadded: base64url in JWTs, `RawURLEncoding`);
 * - padded tail: the same with its `=` padding.
 * The first character at offsets 1 and 2 mixes in the previous byte and is left
 * visible; it carries at most 4 bits of the value.
 */
export function base64Forms(bytes: Uint8Array): string[] {
  const forms: string[] = [];
  for (const offset of OFFSETS) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    const standard = shifted.toString('base64').replace(/=+$/, '');
    const first = Math.ceil((8 * offset) / 6);
    const innerEnd = Math.floor((8 * (offset + bytes.length)) / 6);
    const padding = '='.repeat((3 - ((offset + bytes.length) % 3)) % 3);
    for (const encoded of [standard, toBase64Url(standard)]) {
      const tail = encoded.slice(first);
      forms.push(encoded.slice(first, innerEnd), tail, tail + padding);
    }
  }
  return forms;
}

/** The inner base64 form at one offset (see `base64Forms`). */
export function base64Inner(bytes: Uint8Array, offset: Offset): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
}

const toBase64Url = (standard: string): string => standard.replace(/\+/g, '-').replace(/\//g, '_');

/**
 * How libraries percent-encode a value (RFC 3986 §2.1; form bodies per the WHATWG
 * URL standard). They agree on ASCII letters and digits, differ in which few
 * punctuation characters they leave alone and in how they write a space.
 */
export const PERCENT_ENCODERS: ReadonlyArray<{ unescaped: string; space: '%20' | '+'; used: string }> = [
  { unescaped: "-_.!~*'()", space: '%20', used: 'encodeURIComponent' },
  { unescaped: '-_.~', space: '%20', used: 'RFC 3986 unreserved: Uri.EscapeDataString, rawurlencode' },
  { unescaped: '-_.~/', space: '%20', used: "Python urllib.parse.quote (safe='/')" },
  { unescaped: '-_.*', space: '+', used: 'form: URLSearchParams, Java URLEncoder' },
  { unescaped: '-_.~', space: '+', used: 'form: Python quote_plus/urlencode, Go url.QueryEscape' },
  { unescaped: '-_.', space: '+', used: 'form: PHP urlencode' },
  { unescaped: "-_.!~*'()", space: '+', used: "form: encodeURIComponent with '+' (jQuery.param)" },
];

/** Each encoder's output for the value's UTF-8 bytes, in upper- and in lower-case hex. */
export function percentEncodedForms(bytes: Uint8Array): string[] {
  const forms: string[] = [];
  for (const { unescaped, space } of PERCENT_ENCODERS) {
    let upper = '';
    for (const byte of bytes) {
      if (isAsciiAlphanumeric(byte) || unescaped.includes(String.fromCharCode(byte)))
        upper += String.fromCharCode(byte);
      else if (byte === 0x20) upper += space;
      else upper += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    forms.push(
      upper,
      upper.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    );
  }
  return forms;
}

function isAsciiAlphanumeric(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}
