import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { CREATE_SECRET } from '../support/graphql-documents.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startApi, type ApiHarness, type GraphQLResult } from './api-harness.js';

const CANARY = 'CANARY-flood-5d1e93a7-value';
const LIMIT = 30;
const FLOOD = 2_000;
const IN_FLIGHT = 50;

interface AuditRow {
  reason: string;
  source_address: string;
  request_id: string;
  occurrences: number;
}

/** Sends `count` requests, `IN_FLIGHT` at a time, and keeps status, code and Retry-After of each. */
async function flood(api: ApiHarness, count: number, headersOf: (i: number) => Record<string, string>) {
  const answers: Array<{ status: number; code: string; retryAfter: string | null; text: string }> = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `flood-${i}`, ...headersOf(i) },
        body: JSON.stringify({ query: CREATE_SECRET, variables: { i: { name: `F_${i}`, value: CANARY } } }),
      });
      const text = await response.text();
      const body = JSON.parse(text) as GraphQLResult['body'];
      answers.push({
        status: response.status,
        code: String(body.errors?.[0]?.extensions?.code ?? 'OK'),
        retryAfter: response.headers.get('retry-after'),
        text,
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return answers;
}

describe.each(DATABASE_KINDS)('failed authentications over HTTP are limited and aggregated (%s)', (kind) => {
  let api: ApiHarness;
  let answers: Awaited<ReturnType<typeof flood>>;
  let valid: string;
  let duringFlood: GraphQLResult;
  const rows = async (): Promise<AuditRow[]> =>
    (await api.dataSource.query(
      "SELECT reason, source_address, request_id, occurrences FROM audit_events WHERE action = 'auth.denied' ORDER BY id",
    )) as AuditRow[];

  beforeAll(async () => {
    api = await startApi(kind, { env: { STRONGROOM_AUTH_FAILURE_LIMIT: String(LIMIT) } });
    valid = await api.token({ sub: 'alice', wid: 'ws-flood', role: 'admin' });
    // Half send no token, half a forged one that carries the canary.
    answers = await flood(api, FLOOD, (i): Record<string, string> =>
      i % 2 === 0 ? {} : { authorization: `Bearer ${CANARY}.e30.${i}` },
    );
    duringFlood = await api.gql(valid, CREATE_SECRET, { i: { name: 'STILL_SERVED', value: 'x' } });
  }, 120_000);
  afterAll(async () => api?.close());

  it(`answers the first ${LIMIT} UNAUTHENTICATED and every later one 429 RATE_LIMITED with Retry-After`, () => {
    const unauthenticated = answers.filter((a) => a.code === 'UNAUTHENTICATED');
    const limited = answers.filter((a) => a.code === 'RATE_LIMITED');
    expect(unauthenticated).toHaveLength(LIMIT);
    expect(limited).toHaveLength(FLOOD - LIMIT);
    expect(new Set(unauthenticated.map((a) => a.status))).toEqual(new Set([200]));
    expect(new Set(limited.map((a) => a.status))).toEqual(new Set([429]));
    for (const a of limited) {
      const wait = Number(a.retryAfter);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
    }
  });

  it('still serves a valid token from the same address while that address is limited', () => {
    expect(duringFlood.status).toBe(200);
    expect(duringFlood.body.errors, JSON.stringify(duringFlood.body.errors)).toBeUndefined();
    expect(duringFlood.body.data?.createSecret.name).toBe('STILL_SERVED');
  });

  it('writes one record per failure up to the limit, then one per reason with the count', async () => {
    const before = await rows();
    expect(before).toHaveLength(LIMIT);
    expect(before.every((r) => Number(r.occurrences) === 1 && r.request_id.startsWith('flood-'))).toBe(true);
    await api.stopServer();
    const after = await rows();
    const counted = after.slice(LIMIT);
    expect(counted.map((r) => r.reason).sort()).toEqual(['JWS_INVALID', 'NO_TOKEN'].sort());
    expect(
      counted.every((r) => r.request_id === '' && /^(::ffff:)?127\.0\.0\.1$/.test(r.source_address)),
    ).toBe(true);
    // Nothing lost and nothing counted twice: 2,000 failures, 32 rows.
    expect(after.reduce((n, r) => n + Number(r.occurrences), 0)).toBe(FLOOD);
    expect(after.length).toBeLessThanOrEqual(LIMIT + 2);
  });

  it('the aggregated records chain and verify, and editing a count is detected', async () => {
    await api.stopServer();
    expect(await verifyAuditLog(api.runtime.auditStore)).toMatchObject({ ok: true });
    await api.dataSource.query('UPDATE audit_events SET occurrences = 1 WHERE occurrences > 1');
    const tampered = await verifyAuditLog(api.runtime.auditStore);
    expect(tampered.ok).toBe(false);
  });

  it('the forged token and the value never appear in an answer, an audit row or a log line', async () => {
    for (const a of answers) expect(a.text).not.toContain(CANARY);
    const audit = JSON.stringify(await api.dataSource.query('SELECT * FROM audit_events'));
    expect(audit).not.toContain(CANARY);
    expect(api.logLines.join('\n')).not.toContain(CANARY);
  });
});
