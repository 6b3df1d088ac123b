import { badInput } from '../../protocol/domain-error.js';

/** Opaque cursors: base64url JSON of the sort key, so clients cannot depend on their shape. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T extends unknown[]>(cursor: string, check: (key: unknown[]) => key is T): T {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && check(key)) return key;
  } catch {
    // Fall through to the one error below.
  }
  throw badInput('after', 'The cursor is not one this API issued.');
}

/** `first` within 0..max, else BAD_USER_INPUT. */
export function pageSize(first: number | null | undefined, max = 100): number {
  const size = first ?? 50;
  if (!Number.isInteger(size) || size < 0 || size > max)
    throw badInput('first', `first must be between 0 and ${max}.`);
  return size;
}
