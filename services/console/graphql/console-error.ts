/** The codes the API puts in `extensions.code` (SPEC §5), plus the console's own for transport failures. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR'
  | 'BAD_REQUEST'
  | 'NETWORK'
  | 'UNKNOWN';

/**
 * What a person reads for each code. The API's own message follows where it adds
 * something (which line, which name); it never holds a value (SPEC §3).
 */
const SENTENCES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'Your sign-in has expired or is not valid. Open the console again from your sign-in link.',
  FORBIDDEN: 'You are not allowed to do this.',
  NOT_FOUND: 'This secret no longer exists, or you cannot see it.',
  BAD_USER_INPUT: 'Something you entered is not accepted.',
  CONFLICT: 'This clashes with a secret that already exists.',
  INTERNAL_SERVER_ERROR: 'Strongroom could not complete this just now. Please try again in a moment.',
  BAD_REQUEST: 'The request was refused.',
  NETWORK: 'The console cannot reach Strongroom. Check your connection and try again.',
  UNKNOWN: 'Something went wrong. Please try again.',
};

/** Codes whose API message is worth showing after the sentence. */
const WITH_DETAIL = new Set<ErrorCode>(['FORBIDDEN', 'BAD_USER_INPUT', 'CONFLICT', 'BAD_REQUEST']);

/** An operation that failed, already put into words for the page. */
export class ConsoleError extends Error {
  override readonly name = 'ConsoleError';
  constructor(
    readonly code: ErrorCode,
    /** The API's message, safe to show (the API never puts a value in one). */
    readonly detail: string | undefined,
    readonly field?: string,
    readonly line?: number,
  ) {
    super(sentenceFor(code, detail));
  }
}

/** The plain sentence for a code, with the API's detail where it helps. */
export function sentenceFor(code: ErrorCode, detail?: string): string {
  const base = SENTENCES[code];
  if (!detail || !WITH_DETAIL.has(code)) return base;
  const trimmed = detail.trim();
  return `${base} ${/[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`}`;
}

/** Any thrown thing as a ConsoleError. */
export function asConsoleError(error: unknown): ConsoleError {
  return error instanceof ConsoleError ? error : new ConsoleError('UNKNOWN', undefined);
}

/** Narrows a string to a known code. */
export function toErrorCode(code: unknown): ErrorCode {
  return typeof code === 'string' && code in SENTENCES ? (code as ErrorCode) : 'UNKNOWN';
}
