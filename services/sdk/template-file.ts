import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TemplateFileError } from './sdk-errors.js';

/** How a template file is read: parsed as a definition, or taken as text. */
export type TemplateFormat = 'json' | 'yaml' | 'text';

/** `.json` is JSON, `.yaml` and `.yml` are YAML; anything else is text to scan for `{{secrets.NAME}}`. */
export function templateFormatOf(path: string): TemplateFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return 'text';
}

/**
 * Reads a workflow or journey definition for `extractSecretReferences` and
 * `renderTemplate`: JSON and YAML files are parsed (so their reference objects,
 * `{ source: secret, name: … }`, are seen), other files are returned as text.
 * A YAML file holding several documents (`---`) gives an array of them.
 *
 * Errors (`TemplateFileError`) give the path and a line and column, never an
 * excerpt: a definition is not supposed to hold values, but a broken one might
 * have had one pasted in, and error messages end up in logs.
 */
export async function readTemplateFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TemplateFileError(path, 'cannot be read', error);
  }
  return parseTemplateText(text, templateFormatOf(path), path);
}

/** `text` parsed as `format` (see `readTemplateFile`); `path` only names it in errors. */
export function parseTemplateText(text: string, format: TemplateFormat, path = 'the template'): unknown {
  if (format === 'text') return text;
  if (format === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      // V8's message may quote the text; keep only the position it names.
      const position = /at position (\d+)/.exec((error as Error).message)?.[1];
      const where = position === undefined ? '' : ` at ${lineAndColumn(text, Number(position))}`;
      throw new TemplateFileError(path, `is not valid JSON${where}`);
    }
  }
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [];
  for (const document of list) {
    const [error] = document.errors;
    if (error) {
      const at = error.linePos?.[0];
      const where = at ? ` at line ${at.line}, column ${at.col}` : '';
      throw new TemplateFileError(path, `is not valid YAML (${error.code})${where}`);
    }
  }
  let values: unknown[];
  try {
    // maxAliasCount keeps a YAML "billion laughs" from expanding without bound (the package default).
    values = list.map((document) => document.toJS({ maxAliasCount: 100 }) as unknown);
  } catch (error) {
    throw new TemplateFileError(path, 'uses more YAML aliases than a definition needs', error);
  }
  return values.length === 1 ? values[0] : values;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
