import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventEntity } from '../../services/storage/entities/audit-event-entity.js';
import { outcomeOf, startApi, type ApiHarness } from '../api/api-harness.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { CREATE_SECRET, UPDATE_SECRET_VALUE } from '../support/graphql-documents.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type LogLine = Record<string, unknown> & { requestId?: string; msg?: string; level?: number };

describe.each(DATABASE_KINDS)('the request id on every API log line (%s)', (kind) => {
  let api: ApiHarness;
  let admin: string;
  let member: string;

  beforeAll(async () => {
    api = await startApi(kind); // logs at debug level, every line captured
    admin = await api.token({ sub: 'alice', wid: 'ws-rid', role: 'admin' });
    member = await api.token({ sub: 'bob', wid: 'ws-rid', role: 'member' });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** One request, the response's `x-request-id`, and exactly the log lines written while it was served. */
  async function served(
    headers: Record<string, string>,
    query: string,
    variables: Record<string, unknown> = {},
  ) {
    const from = api.logLines.length;
    const result = await api.post({ query, variables }, headers);
    // The closing line is written as the response ends; let that turn of the event loop finish.
    await new Promise((resolve) => setImmediate(resolve));
    const raw = api.logLines.slice(from);
    return {
      status: result.status,
      data: result.body.data,
      code: outcomeOf(result),
      echoed: result.requestId,
      raw,
      lines: raw.map((line) => JSON.parse(line) as LogLine),
    };
  }

  /** Every line of the request carries `id`, and the request was logged from its start to its end. */
  function expectAllTagged(lines: LogLine[], id: string) {
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual(lines.map((l) => [l.msg, id]));
    expect(lines[0]?.msg).toBe('graphql request started');
    expect(lines.at(-1)?.msg).toBe('graphql request');
  }

  it('success: the caller id is echoed and on every line', async () => {
    const r = await served(
      { authorization: `Bearer ${admin}`, 'x-request-id': `ok-${kind}` },
      CREATE_SECRET,
      {
        i: { name: 'RID_OK', value: 'v' },
      },
    );
    expect([r.status, r.code, r.echoed]).toEqual([200, 'OK', `ok-${kind}`]);
    expectAllTagged(r.lines, `ok-${kind}`);
    // Without a caller id a fresh one is made, echoed and logged.
    const fresh = await served({ authorization: `Bearer ${admin}` }, CREATE_SECRET, {
      i: { name: 'RID_OK2', value: 'v' },
    });
    expect(fresh.echoed).toMatch(UUID);
    expectAllTagged(fresh.lines, fresh.echoed!);
  });

  it('errors: bad input, a document that does not parse, and a refused operation carry the id', async () => {
    const bad = await served(
      { authorization: `Bearer ${admin}`, 'x-request-id': `bad-${kind}` },
      CREATE_SECRET,
      {
        i: { name: 'BAD NAME', value: 'v' },
      },
    );
    expect([bad.code, bad.echoed]).toEqual(['BAD_USER_INPUT', `bad-${kind}`]);
    expectAllTagged(bad.lines, `bad-${kind}`);
    expect(bad.lines.find((l) => l.msg === 'request refused')).toMatchObject({ code: 'BAD_USER_INPUT' });

    const unparsable = await served(
      { authorization: `Bearer ${admin}`, 'x-request-id': `parse-${kind}` },
      '{',
    );
    expect(unparsable.code).toBe('GRAPHQL_PARSE_FAILED');
    expectAllTagged(unparsable.lines, `parse-${kind}`);
    expect(unparsable.lines.find((l) => l.msg === 'request refused')).toMatchObject({
      code: 'GRAPHQL_PARSE_FAILED',
    });
  });

  it('denied: unauthenticated and forbidden requests carry the id, which also finds the audit record', async () => {
    const anonymous = await served({ 'x-request-id': `anon-${kind}` }, CREATE_SECRET, {
      i: { name: 'A', value: 'v' },
    });
    expect([anonymous.code, anonymous.echoed]).toEqual(['UNAUTHENTICATED', `anon-${kind}`]);
    expectAllTagged(anonymous.lines, `anon-${kind}`);
    expect(anonymous.lines.find((l) => l.msg === 'authentication denied')).toMatchObject({
      reason: 'NO_TOKEN',
    });
    const audited = await api.dataSource.manager.findBy(AuditEventEntity, { requestId: `anon-${kind}` });
    expect(audited.map((e) => [e.action, e.outcome])).toEqual([['auth.denied', 'DENIED']]);

    const created = await served({ authorization: `Bearer ${admin}` }, CREATE_SECRET, {
      i: { name: 'RID_F', value: 'v' },
    });
    const id = created.data!.createSecret!.id;
    const forbidden = await served(
      { authorization: `Bearer ${member}`, 'x-request-id': `forbidden-${kind}` },
      UPDATE_SECRET_VALUE,
      {
        i: { id, value: 'w' },
      },
    );
    expect([forbidden.code, forbidden.echoed]).toEqual(['FORBIDDEN', `forbidden-${kind}`]);
    expectAllTagged(forbidden.lines, `forbidden-${kind}`);
    expect(forbidden.lines.find((l) => l.msg === 'request refused')).toMatchObject({ code: 'FORBIDDEN' });
    const refusal = await api.dataSource.manager.findBy(AuditEventEntity, { requestId: `forbidden-${kind}` });
    expect(refusal.map((e) => e.outcome)).toEqual(['DENIED']);
  });

  it('a hostile x-request-id is replaced by a fresh one and never logged', async () => {
    const hostile = [
      'x'.repeat(65), // longer than the audit log keeps
      'r'.repeat(4000),
      'two words',
      'tab\there',
      'quote"},"level":60,"msg":"forged',
      '../../etc/passwd?',
    ];
    for (const given of hostile) {
      const r = await served({ authorization: `Bearer ${admin}`, 'x-request-id': given }, '{ __typename }');
      expect(r.code).toBe('OK');
      expect(r.echoed).toMatch(UUID);
      expectAllTagged(r.lines, r.echoed!);
      // Neither as sent nor as a JSON string would carry it.
      for (const line of r.raw) {
        expect(line).not.toContain(given);
        expect(line).not.toContain(JSON.stringify(given).slice(1, -1));
      }
    }
    // Bytes no client library would send: control characters and line breaks. Node's own
    // parser refuses these requests (400) before any route runs, so nothing is logged.
    for (const given of [
      'ctl\u0001char',
      'del\u007fchar',
      'line\nbreak: injected',
      'cr\r\n split',
      'nul\u0000',
    ]) {
      const from = api.logLines.length;
      const answer = await rawRequest(api.port, given);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(api.logLines.slice(from)).toEqual([]);
    }
    const all = api.logLines.join('\n');
    expect(all).not.toContain('injected');
    expect(all).not.toContain('forged');
  });

  it('a database failure is logged at error level with the id', async () => {
    // The last test of the suite: the pool goes away under the running API.
    await api.dataSource.destroy();
    const r = await served(
      { authorization: `Bearer ${admin}`, 'x-request-id': `db-down-${kind}` },
      CREATE_SECRET,
      {
        i: { name: 'RID_DOWN', value: 'v' },
      },
    );
    expect([r.code, r.echoed]).toEqual(['INTERNAL_SERVER_ERROR', `db-down-${kind}`]);
    expectAllTagged(r.lines, `db-down-${kind}`);
    expect(r.lines.filter((l) => l.level === 50).map((l) => l.requestId)).toEqual([`db-down-${kind}`]);
  });
});

/** A GraphQL POST written byte for byte (a header value no HTTP client would send); the status line back. */
function rawRequest(port: number, requestId: string): Promise<string> {
  const body = '{"query":"{ __typename }"}';
  const head = [
    'POST /graphql HTTP/1.1',
    'host: 127.0.0.1',
    'content-type: application/json',
    `content-length: ${body.length}`,
    `x-request-id: ${requestId}`,
    'connection: close',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.end(Buffer.from(`${head}\r\n\r\n${body}`, 'latin1')),
    );
    let answer = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}
