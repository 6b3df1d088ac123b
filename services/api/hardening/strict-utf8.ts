/**
 * Decodes a request body as UTF-8, or returns undefined when it is not valid UTF-8.
 * Node's `buffer.toString('utf8')` replaces bad bytes with U+FFFD instead, so a
 * secret value sent with a stray byte would be stored silently altered.
 */
export function decodeUtf8Strictly(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
