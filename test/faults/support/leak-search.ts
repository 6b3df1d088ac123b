import { randomBytes } from 'node:crypto';

/**
 * A value that cannot turn up by accident: a fixed prefix (whose `:` makes it an invalid
 * secret name and gives it a URL-encoded form of its own) and 32 random bytes.
 */
export const newCanary = (): string => `srcanary:${randomBytes(32).toString('hex')}`;

/** The canary and every encoding a careless log line, error, metric or row could carry it in. */
export function canaryForms(canary: string): Array<{ form: string; text: string }> {
  const bytes = Buffer.from(canary, 'utf8');
  const forms = [
    { form: 'raw', text: canary },
    { form: 'base64', text: bytes.toString('base64') },
    { form: 'base64 (no padding)', text: bytes.toString('base64').replace(/=+$/, '') },
    { form: 'base64url', text: bytes.toString('base64url') },
    { form: 'hex', text: bytes.toString('hex') },
    { form: 'HEX', text: bytes.toString('hex').toUpperCase() },
    { form: 'url-encoded', text: encodeURIComponent(canary) },
    { form: 'json-escaped', text: JSON.stringify(canary).slice(1, -1) },
  ];
  // A form that reads the same as an earlier one (say, JSON-escaping a value with nothing to escape) is searched once.
  return forms.filter((f, i) => forms.findIndex((g) => g.text === f.text) === i);
}

/** One place the sweep looked: a name for the report and the bytes or text found there. */
export interface Haystack {
  where: string;
  content: string | Buffer;
}

/** Every (place, canary, form) where a canary was found; empty means no leak. */
export function findCanaries(haystacks: Haystack[], canaries: string[]): string[] {
  const found: string[] = [];
  for (const { where, content } of haystacks) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (const [index, canary] of canaries.entries())
      for (const { form, text } of canaryForms(canary))
        if (bytes.includes(Buffer.from(text, 'utf8'))) found.push(`${where}: canary #${index} as ${form}`);
  }
  return found;
}
