/**
 * Recognising a pasted `.env` text in the secrets table (SPEC §12: pasting into any
 * Key or Value field previews an import). The API parses the text for real
 * (`importSecrets`); the console only needs to know whether a paste is one, and which
 * names to list in the preview.
 */

/** dotenv's line grammar (the one the API's importer uses), for the names only. */
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** The names a .env text sets, in order, each once. */
export function dotenvNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.replace(/\r\n?/g, '\n').matchAll(DOTENV_LINE)) {
    if (match[1]) names.add(match[1]);
  }
  return [...names];
}

/**
 * Whether every line of the text is a `KEY=VALUE` entry with a value (or part of a
 * quoted multi-line one), a comment, or blank — the shape of a whole .env file.
 */
function isWholeDotenv(text: string): boolean {
  const covered = new Set<number>();
  const lineAt = (index: number) => text.slice(0, index).split('\n').length - 1;
  for (const match of text.matchAll(DOTENV_LINE)) {
    if (!(match[2] ?? '').trim()) return false;
    const start = match.index;
    for (let line = lineAt(start); line <= lineAt(start + Math.max(0, match[0].length - 1)); line++)
      covered.add(line);
  }
  return text
    .split('\n')
    .every((line, i) => covered.has(i) || line.trim() === '' || line.trim().startsWith('#'));
}

/**
 * Whether a paste is a .env text to import rather than text for the field itself.
 * A Key never holds `=` or a line break, so there any such paste with an entry is one.
 * A Value may legitimately hold `=` (base64, URLs) and line breaks (PEM keys, JSON,
 * wrapped base64): there only text of several lines that is a whole .env file counts.
 */
export function isDotenvPaste(text: string, field: 'key' | 'value'): boolean {
  const normalised = text.replace(/\r\n?/g, '\n');
  if (field === 'key') return /[=\n]/.test(normalised) && dotenvNames(normalised).length > 0;
  return normalised.trim().includes('\n') && dotenvNames(normalised).length > 1 && isWholeDotenv(normalised);
}
