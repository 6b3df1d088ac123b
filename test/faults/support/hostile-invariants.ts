import { expect } from 'vitest';
import type { GraphQLResult } from '../../api/api-harness.js';

/**
 * Every `extensions.code` the API may answer with: SPEC §5's domain codes and the
 * request codes graphql-js and Apollo raise before a resolver runs.
 */
export const DOCUMENTED_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * The per-request invariants of hostile input: 200, 400 or 413 (a body or document
 * over its size limit), a 5xx only with coded errors, a JSON body whose every error
 * has a documented code, no internal error (hostile input is the caller's fault,
 * never the server's), and no canary.
 */
export function expectSafeAnswer(r: GraphQLResult, ...canaries: string[]): void {
  const context = `${r.status} ${r.text.slice(0, 300)}`;
  if (r.status >= 500) expect(r.body.errors?.length, context).toBeGreaterThan(0);
  else expect([200, 400, 413], context).toContain(r.status);
  expect(r.body.data !== undefined || r.body.errors !== undefined, context).toBe(true);
  for (const error of r.body.errors ?? []) {
    expect(DOCUMENTED_CODES.has(error.extensions?.code as string), context).toBe(true);
    expect(error.extensions?.code, context).not.toBe('INTERNAL_SERVER_ERROR');
  }
  for (const canary of canaries) expect(r.text, context).not.toContain(canary);
}

/** The process still serves: /healthz answers. */
export async function expectServing(graphqlUrl: string): Promise<void> {
  const r = await fetch(graphqlUrl.replace(/\/graphql$/, '/healthz'));
  expect(r.status).toBe(200);
}
