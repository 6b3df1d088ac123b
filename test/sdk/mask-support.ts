import type { Transform } from 'node:stream';

/** Writes `chunks` into a masking stream one by one and returns everything it emitted. */
export async function runThrough(stream: Transform, chunks: readonly Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return Buffer.concat(out);
}

/** Splits `bytes` at the given cut points (any byte offsets, even inside a UTF-8 character). */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(at, point));
    at = point;
  }
  chunks.push(bytes.subarray(at));
  return chunks.filter((c) => c.length > 0);
}

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const hex4 = (unit: number) => unit.toString(16).padStart(4, '0');
/** Every UTF-16 unit matching `which` as `\uxxxx` in already JSON-escaped text. */
const unicodeEscaped = (escaped: string, which: RegExp, upper = false) =>
  escaped.replace(which, (c) => `\\u${upper ? hex4(c.charCodeAt(0)).toUpperCase() : hex4(c.charCodeAt(0))}`);

/** JSON-escaped text with its `\uxxxx` escapes in upper-case hex (an escaped backslash is not one). */
const upperHexEscapes = (escaped: string) =>
  escaped.replace(/\\(\\|u[0-9a-f]{4})/g, (match, escape: string) =>
    escape === '\\' ? match : `\\u${escape.slice(1).toUpperCase()}`,
  );

/**
 * The forms of a value the masker promises to hide, each produced the way a
 * program would produce it — by the platform's own encoders where Node has one —
 * rather than by the masker's code, so that the tests check the masker against
 * the encoders and not against itself.
 */
export function referenceForms(value: string): Record<string, string> {
  const bytes = Buffer.from(value);
  // URL encoders see a lone surrogate as U+FFFD, as UTF-8 encoding does (encodeURIComponent would throw).
  const wellFormed = bytes.toString('utf8');
  const uriComponent = encodeURIComponent(wellFormed);
  // .NET Uri.EscapeDataString / RFC 3986: also !'()* escaped.
  const rfc3986 = uriComponent.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const form = new URLSearchParams({ k: wellFormed }).toString().slice(2);
  const json = JSON.stringify(value).slice(1, -1);
  return {
    value,
    base64: bytes.toString('base64'),
    base64Unpadded: bytes.toString('base64').replace(/=+$/, ''),
    base64url: bytes.toString('base64url'),
    base64urlPadded: bytes.toString('base64url') + '='.repeat((3 - (bytes.length % 3)) % 3),
    uriComponent,
    uriComponentLower: lowerHex(uriComponent),
    rfc3986,
    rfc3986Lower: lowerHex(rfc3986),
    form,
    formLower: lowerHex(form),
    json,
    jsonSlash: json.replace(/\//g, '\\/'),
    jsonAsciiOnly: unicodeEscaped(json, /[\u0080-\uffff]/g),
    jsonAsciiOnlyUpper: unicodeEscaped(upperHexEscapes(json), /[\u0080-\uffff]/g, true),
    jsonPhp: unicodeEscaped(json, /[\u0080-\uffff]/g).replace(/\//g, '\\/'),
    jsonEveryUnit: [...Array(value.length).keys()].map((i) => `\\u${hex4(value.charCodeAt(i))}`).join(''),
    jsonEveryUnitUpper: [...Array(value.length).keys()]
      .map((i) => `\\u${hex4(value.charCodeAt(i)).toUpperCase()}`)
      .join(''),
  };
}

/** The lines of a multi-line value the masker hides on their own: not blank, long enough. */
export function maskedLines(value: string, minLength: number): string[] {
  const lines = value.split(/\r\n|\r|\n/);
  if (lines.length < 2) return [];
  return lines.flatMap((line) => [line, line.trim()]).filter((l) => l.trim() !== '' && l.length >= minLength);
}

/**
 * The characters of base64(`before` + `secret` + `after`) whose 6 bits all come
 * from `secret`, worked out from the blob itself: what must not survive masking.
 */
export function base64InnerOf(blob: string, before: number, secret: number): string {
  return blob.slice(Math.ceil((8 * before) / 6), Math.floor((8 * (before + secret)) / 6));
}

/**
 * The obvious masker, kept as an oracle for the automaton: every occurrence of
 * every pattern by `indexOf`, overlapping and adjacent hits merged.
 */
export function naiveMaskIntervals(
  text: Buffer,
  patterns: readonly Buffer[],
): Array<{ start: number; end: number }> {
  const hits: Array<{ start: number; end: number }> = [];
  for (const pattern of patterns) {
    if (pattern.length === 0) continue;
    for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1))
      hits.push({ start: at, end: at + pattern.length });
  }
  hits.sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const hit of hits) {
    const last = merged.at(-1);
    if (last && hit.start <= last.end) last.end = Math.max(last.end, hit.end);
    else merged.push({ ...hit });
  }
  return merged;
}
