import { parse } from 'dotenv';
import { badInput } from '../../protocol/domain-error.js';
import { isValidSecretName } from '../../protocol/secret-names.js';

/** One `KEY=VALUE` entry of a .env text, with the line its key stands on. */
export interface DotenvEntry {
  name: string;
  value: string;
  line: number;
}

/**
 * dotenv's own line grammar (lib/main.js of dotenv 16/17), kept with the `d` flag so
 * each entry knows where its key starts. Values are then unquoted and unescaped by
 * dotenv's `parse` itself, so the rules are exactly dotenv's.
 */
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/**
 * Parses .env text strictly: every line is an entry, blank, or a comment; every key
 * is a valid secret name, appears once, and has a non-empty value. The first
 * problem is a BAD_USER_INPUT naming its line number (never the value).
 */
export function parseDotenvStrict(text: string): DotenvEntry[] {
  const source = text.replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const covered = new Set<number>();
  const entries: DotenvEntry[] = [];
  const seen = new Map<string, number>();
  for (const match of source.matchAll(DOTENV_LINE)) {
    const indices = match.indices!;
    const [keyStart] = indices[1]!;
    const line = lineOf(keyStart);
    const [, end] = indices[0]!;
    for (let l = line; l <= lineOf(Math.max(keyStart, end - 1)); l++) covered.add(l);
    const name = match[1]!;
    const raw = (match[2] ?? '').trim();
    if (!isValidSecretName(name)) {
      throw badInput('dotenv', `Line ${line}: "${name.slice(0, 128)}" is not a valid secret name.`, { line });
    }
    if (/^["'`]/.test(raw) && (raw.length < 2 || raw.at(-1) !== raw[0])) {
      throw badInput('dotenv', `Line ${line}: the value of ${name} opens a quote it never closes.`, { line });
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw badInput('dotenv', `Line ${line}: ${name} is already set on line ${previous}.`, { line });
    }
    seen.set(name, line);
    const value = parse(match[0])[name] ?? '';
    if (value === '') throw badInput('dotenv', `Line ${line}: ${name} has an empty value.`, { line });
    entries.push({ name, value, line });
  }

  const lines = source.split('\n');
  for (const [index, text] of lines.entries()) {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#') || covered.has(index + 1)) continue;
    throw badInput('dotenv', `Line ${index + 1}: expected KEY=VALUE, a comment or a blank line.`, {
      line: index + 1,
    });
  }
  if (entries.length === 0) throw badInput('dotenv', 'The .env text holds no KEY=VALUE entry.');
  return entries;
}
