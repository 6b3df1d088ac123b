import { describe, expect, it } from 'vitest';
import { VerifyAuditLogQuery } from '../audit/audit-queries';
import { ConsoleError, sentenceFor, type ErrorCode } from './console-error';
import { createGraphQLClient } from './graphql-client';

/** A document the console really sends (test files hold none: their documents would ship). */
const Probe = VerifyAuditLogQuery;

/** A fetch that records what it was asked and answers `body` (unit test of the client's own logic). */
function fakeFetch(answer: () => Promise<Response>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return answer();
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

const json = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

describe('the console GraphQL client', () => {
  it('posts JSON to /graphql with the bearer token, no cookies and no referrer', async () => {
    const { calls, fetchImpl } = fakeFetch(() =>
      json({ data: { verifyAuditLog: { ok: true, checked: 3, firstBrokenId: null } } }),
    );
    const client = createGraphQLClient({ token: 'the-token', fetchImpl });
    expect(await client.request(Probe, {})).toEqual({
      verifyAuditLog: { ok: true, checked: 3, firstBrokenId: null },
    });
    const [{ url, init }] = calls as [{ url: string; init: RequestInit }];
    expect(url).toBe('/graphql');
    expect(init.method).toBe('POST');
    // application/json: a cross-site page cannot send it without a preflight (Apollo's CSRF prevention).
    expect(init.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer the-token',
    });
    expect(init.credentials).toBe('omit');
    expect(init.referrerPolicy).toBe('no-referrer');
    expect(JSON.parse(String(init.body)).query).toContain('query VerifyAuditLog');
  });

  it('turns an error code into a plain sentence, keeping the API message where it helps', async () => {
    const { fetchImpl } = fakeFetch(() =>
      json({
        errors: [
          {
            message: 'Line 3: FOO already exists; nothing was imported.',
            extensions: { code: 'CONFLICT', line: 3, field: 'dotenv' },
          },
        ],
      }),
    );
    const error = await createGraphQLClient({ token: 't', fetchImpl })
      .request(Probe, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect((error as ConsoleError).message).toBe(
      'This clashes with a secret that already exists. Line 3: FOO already exists; nothing was imported.',
    );
    expect((error as ConsoleError).line).toBe(3);
    expect((error as ConsoleError).field).toBe('dotenv');
  });

  it('ends the session on UNAUTHENTICATED', async () => {
    let ended = 0;
    const { fetchImpl } = fakeFetch(() =>
      json({ errors: [{ message: 'A bearer token is required.', extensions: { code: 'UNAUTHENTICATED' } }] }),
    );
    const client = createGraphQLClient({ token: 't', fetchImpl, onUnauthenticated: () => (ended += 1) });
    await expect(client.request(Probe, {})).rejects.toThrow(/sign-in has expired/);
    expect(ended).toBe(1);
  });

  it('says the network is down when fetch fails, and the server is unwell when it answers 5xx without JSON', async () => {
    const down = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(
      createGraphQLClient({ token: 't', fetchImpl: down.fetchImpl }).request(Probe, {}),
    ).rejects.toThrow(/cannot reach Strongroom/);
    const broken = fakeFetch(() =>
      Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })),
    );
    await expect(
      createGraphQLClient({ token: 't', fetchImpl: broken.fetchImpl }).request(Probe, {}),
    ).rejects.toThrow(/could not complete this just now/);
  });

  it('has a sentence for every code, and never shows an internal message', () => {
    const codes: ErrorCode[] = [
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'CONFLICT',
      'INTERNAL_SERVER_ERROR',
      'BAD_REQUEST',
      'NETWORK',
      'UNKNOWN',
    ];
    for (const code of codes) expect(sentenceFor(code)).toMatch(/^[A-Z].*\.$/);
    expect(sentenceFor('INTERNAL_SERVER_ERROR', 'stack trace at db.ts:12')).not.toContain('stack');
    expect(sentenceFor('FORBIDDEN', 'Only workspace admins import workspace secrets')).toBe(
      'You are not allowed to do this. Only workspace admins import workspace secrets.',
    );
  });
});
