import { randomUUID } from 'node:crypto';

/**
 * What a caller-supplied request id may look like. It is echoed in a response header and
 * written into every log line and audit record of the request, so nothing that could
 * split a line or forge a field gets through, and it fits the audit log's 64-character
 * column whole: the id in a log line always finds the request's audit records.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's request id when it is safe to echo and log, else a fresh UUID. */
export function acceptRequestId(given: string | readonly string[] | undefined): string {
  const first = typeof given === 'string' ? given : given?.[0];
  return first !== undefined && SAFE_REQUEST_ID.test(first) ? first : randomUUID();
}
