/** An unfinished reference just before the caret: `{{`, `{{ STR`, `{{secrets.STR`. */
const OPEN_REFERENCE = /\{\{\s*((?:secrets\.)?[A-Za-z0-9_-]*)$/;

/**
 * The unfinished reference that ends at `caret`, if any: where its `{{` starts and
 * the part of a name typed so far (after `secrets.` when that was typed). A reference
 * already closed with `}}` is not open.
 */
export function openReferenceAt(text: string, caret: number): { start: number; query: string } | undefined {
  const match = OPEN_REFERENCE.exec(text.slice(0, caret));
  if (!match) return undefined;
  const typed = match[1] ?? '';
  return { start: match.index, query: typed.startsWith('secrets.') ? typed.slice('secrets.'.length) : typed };
}
