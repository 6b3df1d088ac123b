import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { pruneAuditLog } from '../../services/core/audit/audit-pruner.js';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { createAuditStore, type AuditStore } from '../../services/storage/audit-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { resolveEvent } from './support.js';

const DAY = 86_400_000;
const now = Date.now();
const old = (label: string) => resolveEvent(label, { occurredAt: new Date(now - 40 * DAY) });
const fresh = (label: string) => resolveEvent(label, { occurredAt: new Date(now - DAY) });
const cutoff = new Date(now - 30 * DAY);

describe.each(DATABASE_KINDS)('audit retention on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let dataSource: DataSource;
  let auditStore: AuditStore;

  beforeAll(async () => {
    handle = await openMigratedDataSource(kind);
    dataSource = handle.dataSource;
    auditStore = createAuditStore({ dataSource });
  });
  afterAll(() => handle?.close());
  beforeEach(async () => {
    await dataSource.query('DELETE FROM audit_events');
    await dataSource.query('DELETE FROM audit_chains');
  });

  const remaining = async () =>
    (
      (await dataSource.query('SELECT request_id AS label FROM audit_events ORDER BY id')) as Array<{
        label: string;
      }>
    ).map((r) => r.label);

  it('removes only the old prefix of each chain, records the anchor, and the rest still verifies', async () => {
    const a = await openAuditLog({ auditStore });
    const b = await openAuditLog({ auditStore });
    const c = await openAuditLog({ auditStore });
    const d = await openAuditLog({ auditStore });
    for (let i = 0; i < 10; i++) await a.appendCommitted([old(`a-old-${i}`)]);
    await a.appendCommitted([fresh('a-new-0'), fresh('a-new-1')]);
    await b.appendCommitted([old('b-old-0'), old('b-old-1'), old('b-old-2')]);
    await c.appendCommitted([fresh('c-new-0')]);
    // An old event after a newer one in its chain stays: only a prefix may go.
    await d.appendCommitted([old('d-old-0'), old('d-old-1'), fresh('d-new-0'), old('d-late-old')]);
    const pruner = await openAuditLog({ auditStore });

    const result = await pruneAuditLog({
      auditStore,
      before: cutoff,
      auditLog: pruner,
      actorId: 'ops',
      batchSize: 4,
    });

    expect(result).toEqual({ deleted: 15, chainsPruned: 3, checkpointsDeleted: 0, before: cutoff });
    expect(await remaining()).toEqual(['a-new-0', 'a-new-1', 'c-new-0', 'd-new-0', 'd-late-old', '']);
    const [prune] = (await dataSource.query(
      "SELECT actor_type, actor_id, reason FROM audit_events WHERE action = 'audit.prune'",
    )) as Array<Record<string, string>>;
    expect(prune).toEqual({
      actor_type: 'operator',
      actor_id: 'ops',
      reason: `retention: events before ${cutoff.toISOString()}`,
    });
    const heads = new Map((await auditStore.listChains()).map((h) => [h.chainId, h]));
    expect(Number(heads.get(a.chainId)!.prunedThroughSeq)).toBe(10);
    expect(Number(heads.get(b.chainId)!.prunedThroughSeq)).toBe(3);
    expect(Number(heads.get(c.chainId)!.prunedThroughSeq)).toBe(0);
    expect(await verifyAuditLog(auditStore)).toMatchObject({
      ok: true,
      checked: 6,
      firstBrokenId: null,
      problem: null,
    });

    // Pruned chains keep growing and verifying; a second run finds nothing more.
    await a.appendCommitted([fresh('a-new-2')]);
    await b.appendCommitted([fresh('b-new-0')]);
    expect((await pruneAuditLog({ auditStore, before: cutoff })).deleted).toBe(0);
    expect(await verifyAuditLog(auditStore)).toMatchObject({ ok: true, checked: 8 });
  });

  it('still detects tampering with what is kept after a prune', async () => {
    const log = await openAuditLog({ auditStore });
    await log.appendCommitted([old('o1'), old('o2'), fresh('n1'), fresh('n2')]);
    await pruneAuditLog({ auditStore, before: cutoff });
    await dataSource.query("DELETE FROM audit_events WHERE request_id = 'n1'");
    expect(await verifyAuditLog(auditStore)).toMatchObject({
      ok: false,
      problem: 'sequence gap or reorder in chain',
    });
  });

  it('refuses to prune a prefix that does not verify, keeping the evidence', async () => {
    const log = await openAuditLog({ auditStore });
    await log.appendCommitted([old('o1'), old('o2'), old('o3'), fresh('n1')]);
    await dataSource.query("UPDATE audit_events SET outcome = 'DENIED' WHERE request_id = 'o2'");
    await expect(pruneAuditLog({ auditStore, before: cutoff })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await remaining()).toEqual(['o1', 'o2', 'o3', 'n1']);
    expect((await verifyAuditLog(auditStore)).ok).toBe(false);
  });
});
