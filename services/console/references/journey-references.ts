import { SECRET_NAME } from '../secrets/secret-names';

/** `{{secrets.NAME}}`, spaces allowed just inside the braces (SPEC §9). */
const TEMPLATE_REFERENCE = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_-]{0,127})\s*\}\}/g;

/** Deeper than any real journey; a hostile document stops here instead of overflowing the stack. */
const MAX_DEPTH = 200;

/** The names in `{{secrets.NAME}}` references anywhere in the text, in order, each once. */
export function templateReferenceNames(text: string): string[] {
  return [...new Set([...text.matchAll(TEMPLATE_REFERENCE)].map((m) => m[1] as string))];
}

/**
 * The names of object references in a parsed journey definition — a mapping with
 * `source: secret` and a `name` (SPEC §9, the "Secret reference" value source of the
 * seeds) — in document order, each once. Names that are not secret names are skipped.
 */
export function objectReferenceNames(document: unknown): string[] {
  const names = new Set<string>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    if (record.source === 'secret' && typeof record.name === 'string' && SECRET_NAME.test(record.name)) {
      names.add(record.name);
    }
    for (const value of Object.values(record)) walk(value, depth + 1);
  };
  walk(document, 0);
  return [...names];
}

/** What a pasted workflow definition references. */
export interface JourneyReferences {
  names: string[];
  /** False when the text is not YAML or JSON: only `{{secrets.…}}` references were read. */
  parsed: boolean;
}

/**
 * The secret names a journey definition (YAML or JSON, which YAML includes) refers
 * to, in both forms. The YAML parser loads only when a check runs, so the secrets
 * page does not carry it.
 */
export async function journeyReferences(text: string): Promise<JourneyReferences> {
  const names = templateReferenceNames(text);
  let parsed = true;
  try {
    const { parseAllDocuments } = await import('yaml');
    const documents = parseAllDocuments(text);
    for (const document of Array.isArray(documents) ? documents : [documents]) {
      if (document.errors.length > 0) {
        parsed = false;
        continue;
      }
      names.push(...objectReferenceNames(document.toJS({ maxAliasCount: 100 })));
    }
  } catch {
    parsed = false;
  }
  return { names: [...new Set(names)], parsed };
}
