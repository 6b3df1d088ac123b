import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditFilter } from '../../services/core/audit/audit-query-types.js';
import { openAuditLog, type AuditLog } from '../../services/core/audit/audit-log.js';
import { createAuditQueryService } from '../../services/core/audit/audit-query-service.js';
import { createAuditQueryStore } from '../../services/storage/audit-query-store.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { createAuditCheckpointStore } from '../../services/storage/audit-checkpoint-store.js';
import { createIncrementalAuditVerifier } from '../../services/core/audit/incremental-audit-verifier.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { principal, resolveEvent } from './support.js';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 10, 12, minute, 0, 250));

describe.each(DATABASE_KINDS)('auditEvents and verifyAuditLog on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let auditLog: AuditLog;
  let service: ReturnType<typeof createAuditQueryService>;

  /** Request-id labels of a listing, in the order returned. */
  const labels = async (workspaceId: string, filter: AuditFilter | null, first = 100) =>
    (await service.listEvents(principal(workspaceId), filter, first)).items.map((e) => e.node.requestId);

  beforeAll(async () => {
    handle = await openMigratedDataSource(kind);
    const auditStore = createAuditStore(handle);
    auditLog = await openAuditLog({ auditStore });
    const other = await openAuditLog({ auditStore });
    const { publicKey } = generateKeyPairSync('ed25519');
    service = createAuditQueryService({
      auditQueryStore: createAuditQueryStore(handle),
      verifier: createIncrementalAuditVerifier({
        auditStore,
        checkpointStore: createAuditCheckpointStore(handle),
        publicKey: async () => publicKey,
        maxCheckpointAgeMs: 3_650 * 86_400_000,
      }),
      auditLog,
    });
    // Two writers, so the workspace's events interleave two chains like replicas would.
    await auditLog.appendCommitted([
      {
        action: 'secret.create',
        outcome: 'SUCCESS',
        actorType: 'user',
        actorId: 'u1',
        workspaceId: 'ws-a',
        secretId: 'sec-a',
        secretName: 'A',
        scope: 'WORKSPACE',
        version: 1,
        requestId: 'e1',
        occurredAt: t(0),
      },
    ]);
    await other.appendCommitted([
      resolveEvent('e2', {
        secretName: 'A',
        runId: 'run-1',
        workflowId: 'wf-1',
        trigger: 'MANUAL',
        occurredAt: t(1),
      }),
    ]);
    await auditLog.appendCommitted([
      resolveEvent('e3', {
        outcome: 'DENIED',
        secretName: 'B',
        runId: 'run-2',
        workflowId: 'wf-1',
        occurredAt: t(2),
      }),
      {
        action: 'secret.update_value',
        outcome: 'SUCCESS',
        actorType: 'user',
        actorId: 'u2',
        workspaceId: 'ws-a',
        secretName: 'B',
        version: 2,
        requestId: 'e4',
        occurredAt: t(3),
      },
    ]);
    await other.appendCommitted([
      {
        action: 'auth.denied',
        outcome: 'DENIED',
        actorType: 'user',
        actorId: 'u3',
        workspaceId: 'ws-a',
        requestId: 'e5',
        occurredAt: t(4),
      },
      // The same names in another workspace: never visible to ws-a's auditor.
      resolveEvent('b1', {
        workspaceId: 'ws-b',
        secretName: 'A',
        runId: 'run-1',
        workflowId: 'wf-1',
        actorId: 'u1',
        occurredAt: t(2),
      }),
    ]);
  });
  afterAll(() => handle?.close());

  it('lists the workspace newest first', async () => {
    expect(await labels('ws-a', null)).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
  });

  const filters: Array<[string, AuditFilter, string[]]> = [
    ['action', { action: 'secret.resolve' }, ['e3', 'e2']],
    ['outcome', { outcome: 'DENIED' }, ['e5', 'e3']],
    ['actorId', { actorId: 'u1' }, ['e1']],
    ['secretName', { secretName: 'A' }, ['e2', 'e1']],
    ['runId', { runId: 'run-1' }, ['e2']],
    ['workflowId', { workflowId: 'wf-1' }, ['e3', 'e2']],
    ['from (inclusive)', { from: t(2) }, ['e5', 'e4', 'e3']],
    ['to (exclusive)', { to: t(2) }, ['e2', 'e1']],
    ['from and to', { from: t(1), to: t(3) }, ['e3', 'e2']],
    ['several at once', { action: 'secret.resolve', outcome: 'SUCCESS', secretName: 'A' }, ['e2']],
    ['empty strings as no filter', { action: '', actorId: null }, ['e5', 'e4', 'e3', 'e2', 'e1']],
    ['a value nothing has', { runId: 'run-404' }, []],
  ];
  it.each(filters)('filters by %s', async (_label, filter, expected) => {
    expect(await labels('ws-a', filter)).toEqual(expected);
  });

  it('maps rows to views: placeholders become null, values never appear', async () => {
    const { items } = await service.listEvents(principal('ws-a'), { secretName: 'A' }, 10);
    const [resolve, create] = items.map((i) => i.node);
    expect(create).toEqual({
      id: expect.stringMatching(/^\d+$/),
      occurredAt: t(0),
      action: 'secret.create',
      outcome: 'SUCCESS',
      actorType: 'user',
      actorId: 'u1',
      workspaceId: 'ws-a',
      secretId: 'sec-a',
      secretName: 'A',
      scope: 'WORKSPACE',
      version: 1,
      workflowId: null,
      runId: null,
      trigger: null,
      runner: null,
      requestId: 'e1',
      sourceAddress: null,
      principal: null,
      triggeredBy: null,
      workflowOwner: null,
      stepId: null,
      grantId: null,
      occurrences: 1,
    });
    expect(resolve).toMatchObject({ runId: 'run-1', workflowId: 'wf-1', trigger: 'MANUAL', secretId: null });
    const deniedLogin = (await service.listEvents(principal('ws-a'), { actorId: 'u3' })).items[0]!.node;
    expect(deniedLogin).toMatchObject({ version: null, secretName: null, scope: null });
  });

  it('shows an auditor of workspace A nothing of workspace B, whatever the filter', async () => {
    expect(await labels('ws-b', null)).toEqual(['b1']);
    for (const [, filter] of filters) expect(await labels('ws-a', filter)).not.toContain('b1');
    expect(await labels('ws-c', null)).toEqual([]);
  });

  it('refuses callers without audit:read with FORBIDDEN, and records the refusal', async () => {
    const admin = principal('ws-deny', {
      subject: 'admin-1',
      role: 'admin',
      scopes: new Set(['secrets:system']),
      requestId: 'r-deny',
    });
    await expect(service.listEvents(admin, null)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.verify(admin)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const { items } = await service.listEvents(principal('ws-deny'), { action: 'auth.denied' });
    expect(items.map((i) => i.node)).toEqual([
      expect.objectContaining({
        outcome: 'DENIED',
        actorType: 'user',
        actorId: 'admin-1',
        requestId: 'r-deny',
      }),
      expect.objectContaining({ outcome: 'DENIED', actorId: 'admin-1' }),
    ]);
  });

  it('validates first and after', async () => {
    const p = principal('ws-a');
    await expect(service.listEvents(p, null, -1)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(service.listEvents(p, null, 101)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(service.listEvents(p, null, 10, 'bm90LWEtY3Vyc29y')).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    // A cursor of another connection (secrets use [name, id]) is not an audit cursor.
    const foreign = Buffer.from(JSON.stringify(['A', 'x'])).toString('base64url');
    await expect(service.listEvents(p, null, 10, foreign)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await service.listEvents(p, null, 0)).toEqual({ items: [], hasNextPage: true });
    expect((await service.listEvents(p, null)).items).toHaveLength(5);
  });

  it('keeps cursors stable while new events arrive between pages', async () => {
    for (let i = 0; i < 25; i++)
      await auditLog.appendCommitted([resolveEvent(`p${i}`, { workspaceId: 'ws-page' })]);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; ; page++) {
      const result = await service.listEvents(principal('ws-page'), null, 10, after);
      seen.push(...result.items.map((i) => i.node.requestId!));
      // Newer events land above the reader's position and must not shift what comes next.
      await auditLog.appendCommitted(
        Array.from({ length: 7 }, (_, j) => resolveEvent(`new${page}-${j}`, { workspaceId: 'ws-page' })),
      );
      if (!result.hasNextPage) break;
      after = result.items.at(-1)!.cursor;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `p${24 - i}`));
  });

  it("verifies the whole log for an auditor, who is told only their own workspace's figures", async () => {
    const result = await service.verify(principal('ws-a'));
    expect(result).toMatchObject({ ok: true, firstBrokenId: null, failedCheck: null });
    const count = async (where: string) =>
      Number(
        (
          (await handle.dataSource.query(`SELECT COUNT(*) AS count FROM audit_events ${where}`)) as Array<{
            count: number;
          }>
        )[0]!.count,
      );
    expect(result.checked).toBe(await count("WHERE workspace_id = 'ws-a'"));
    expect(result.checked).toBeLessThan(await count(''));
    // An auditor of a workspace with no events learns nothing of the others'.
    expect(await service.verify(principal('ws-empty'))).toMatchObject({ ok: true, checked: 0 });
  });
});
