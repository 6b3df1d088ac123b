import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { AuditEventInput } from '../../services/core/audit/audit-event.js';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';

describe.each(DATABASE_KINDS)('audit hash chains on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let dataSource: DataSource;
  let auditStore: ReturnType<typeof createAuditStore>;

  beforeAll(async () => {
    handle = await openMigratedDataSource(kind);
    dataSource = handle.dataSource;
    auditStore = createAuditStore({ dataSource });
  });
  afterAll(() => handle?.close());

  const event = (i: number) => ({
    action: 'secret.resolve' as const,
    outcome: 'SUCCESS' as const,
    actorType: 'runner' as const,
    actorId: 'spiffe://strongroom/runner/a',
    workspaceId: 'ws-audit',
    secretName: `S_${i}`,
    version: i,
    runId: `run-${i}`,
  });

  it('two writers appending concurrently produce chains that verify', async () => {
    const a = await openAuditLog({ auditStore });
    const b = await openAuditLog({ auditStore });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).appendCommitted([event(i), event(i + 100)])),
    );
    const result = await verifyAuditLog(auditStore);
    expect(result).toEqual({
      ok: true,
      checked: 80,
      firstBrokenId: null,
      problem: null,
      failedCheck: null,
      checkpointAt: null,
      checkpointSeq: null,
    });
  });

  it('a rolled-back append leaves no gap', async () => {
    const log = await openAuditLog({ auditStore });
    await log.appendCommitted([event(1)]);
    await expect(
      auditStore.transaction(async (tx) => {
        await log.append(tx, [event(2)]);
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    await log.appendCommitted([event(3)]);
    expect((await verifyAuditLog(auditStore)).ok).toBe(true);
  });

  const tamperings: Array<[string, (ds: DataSource, ids: number[]) => Promise<unknown>]> = [
    [
      'an edited field',
      (ds, ids) => ds.query(`UPDATE audit_events SET outcome = 'DENIED' WHERE id = ?`, [ids[3]]),
    ],
    ['a deleted row', (ds, ids) => ds.query('DELETE FROM audit_events WHERE id = ?', [ids[3]])],
    ['a deleted last row', (ds, ids) => ds.query('DELETE FROM audit_events WHERE id = ?', [ids.at(-1)])],
    [
      'an inserted row',
      (ds, ids) =>
        ds.query(
          `INSERT INTO audit_events (chain_id, chain_seq, prev_hash, hash, occurred_at, action, outcome, actor_type, actor_id,
            workspace_id, secret_id, secret_name, scope, version, workflow_id, run_id, \`trigger\`, runner, request_id, source_address, reason)
           SELECT chain_id, chain_seq + 1000, hash, hash, occurred_at, action, outcome, actor_type, actor_id, workspace_id, secret_id,
            secret_name, scope, version, workflow_id, run_id, \`trigger\`, runner, request_id, source_address, reason
           FROM audit_events WHERE id = ?`,
          [ids[2]],
        ),
    ],
    [
      'two rows swapped',
      async (ds, ids) => {
        const [x, y] = [ids[1]!, ids[2]!];
        await ds.query('UPDATE audit_events SET id = ? WHERE id = ?', [-1, x]);
        await ds.query('UPDATE audit_events SET id = ? WHERE id = ?', [x, y]);
        await ds.query('UPDATE audit_events SET id = ? WHERE id = ?', [y, -1]);
      },
    ],
  ];

  // Appends are written as SQL text with every value escaped into it (audit-store.ts):
  // whatever a field holds must come back exactly, or the chain would not verify.
  it('stores any text exactly, through both append paths', async () => {
    const awkward = fc.oneof(
      fc.constantFrom(
        "O'Brien",
        'a\\b',
        '?',
        '??',
        '"x"',
        '\0',
        '\x1a',
        '\n\r\t',
        '-- x',
        '/* y */',
        '`z`',
        '😀',
      ),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({ runId: awkward, workflowId: awkward, reason: awkward, requestId: awkward }),
        fc.boolean(),
        async (fields, inTransaction) => {
          await dataSource.query('DELETE FROM audit_events');
          await dataSource.query('DELETE FROM audit_chains');
          const log = await openAuditLog({ auditStore });
          const input = { ...event(1), ...fields };
          const [written] = inTransaction
            ? await auditStore.transaction((tx) => log.append(tx, [input]))
            : await log.appendCommitted([input, event(2)]);
          const [stored] = await auditStore.listEventsAfter(0, 1);
          expect(stored).toMatchObject({
            runId: written!.runId,
            workflowId: written!.workflowId,
            reason: written!.reason,
            requestId: written!.requestId,
            hash: written!.hash,
          });
          expect((await verifyAuditLog(auditStore)).ok).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  // A group-commit batch writes the values its events share once and the rest per row
  // (audit-insert-sql.ts): whichever fields are shared, every row must come back as
  // written, in chain order, and verify.
  it('stores every event of a batch exactly, whichever fields its events share', async () => {
    const text = fc.oneof(
      fc.constantFrom("O'Brien", 'a\\b', '?', '\0', '\n', '😀', ''),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
    );
    // Each field either holds one value across the batch or a value per event.
    const field = <T>(count: number, value: fc.Arbitrary<T>) =>
      fc.oneof(
        value.map((one) => Array<T>(count).fill(one)),
        fc.array(value, { minLength: count, maxLength: count }),
      );
    const batch = fc.integer({ min: 2, max: 12 }).chain((count) =>
      fc.record({
        actorId: field(count, text),
        workspaceId: field(count, text),
        secretName: field(count, text),
        workflowId: field(count, text),
        runId: field(count, text),
        runner: field(count, text),
        requestId: field(count, text),
        sourceAddress: field(count, text),
        reason: field(count, text),
        principal: field(count, text),
        triggeredBy: field(count, text),
        workflowOwner: field(count, text),
        stepId: field(count, text),
        grantId: field(count, text),
        secretId: field(count, fc.uuid()),
        scope: field(count, fc.constantFrom('WORKSPACE', 'PERSONAL', '')),
        trigger: field(count, fc.constantFrom('MANUAL', 'API', '')),
        occurredAt: field(
          count,
          fc.date({
            min: new Date('2020-01-01T00:00:00Z'),
            max: new Date('2030-01-01T00:00:00Z'),
            noInvalidDate: true,
          }),
        ),
        version: field(count, fc.nat(1000)),
      }),
    );
    await fc.assert(
      fc.asyncProperty(batch, async (fields) => {
        await dataSource.query('DELETE FROM audit_events');
        await dataSource.query('DELETE FROM audit_chains');
        const log = await openAuditLog({ auditStore });
        // Event i takes the i-th value of every generated field.
        const inputs = fields.version.map((_, i) => ({
          ...event(i),
          ...(Object.fromEntries(
            Object.entries(fields).map(([name, values]) => [name, values[i]]),
          ) as Partial<AuditEventInput>),
        }));
        const written = await log.appendCommitted(inputs);
        const stored = await auditStore.listEventsAfter(0, 100);
        // Ids are the database's (SQLite's insert also sets them on what it was given).
        const withoutId = <T extends { id?: unknown; chainSeq: unknown }>({ id: _id, ...rest }: T) => ({
          ...rest,
          chainSeq: Number(rest.chainSeq),
        });
        expect(stored.map(withoutId)).toEqual(written.map(withoutId));
        expect((await verifyAuditLog(auditStore)).ok).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  // Both databases store UTF-8, where a lone surrogate has no encoding: it must not reach
  // the hash, or the stored event would not verify (a false alarm anyone could raise by
  // sending a long enough run id).
  it('stores and verifies fields that were cut inside a character or hold a lone surrogate', async () => {
    await dataSource.query('DELETE FROM audit_events');
    await dataSource.query('DELETE FROM audit_chains');
    const log = await openAuditLog({ auditStore });
    const written = await log.appendCommitted([
      { ...event(1), runId: `${'r'.repeat(127)}😀` },
      { ...event(2), reason: 'half \uD83D of a pair', workflowId: '\uDE00 leads' },
    ]);
    expect(written[0]!.runId).toBe('r'.repeat(127));
    expect(written[1]!.reason).toBe('half \uFFFD of a pair');
    expect(written[1]!.workflowId).toBe('\uFFFD leads');
    const stored = await auditStore.listEventsAfter(0, 10);
    expect(stored.map((row) => [row.runId, row.reason, row.workflowId])).toEqual(
      written.map((row) => [row.runId, row.reason, row.workflowId]),
    );
    expect((await verifyAuditLog(auditStore)).ok).toBe(true);
  });

  it.each(tamperings)('detects %s', async (_label, tamper) => {
    await dataSource.query('DELETE FROM audit_events');
    await dataSource.query('DELETE FROM audit_chains');
    const log = await openAuditLog({ auditStore });
    for (let i = 0; i < 8; i++) await log.appendCommitted([event(i)]);
    expect((await verifyAuditLog(auditStore)).ok).toBe(true);
    const ids = (
      (await dataSource.query('SELECT id FROM audit_events ORDER BY id')) as Array<{ id: number }>
    ).map((r) => Number(r.id));
    await tamper(dataSource, ids);
    const result = await verifyAuditLog(auditStore);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenId).not.toBeNull();
  });
});
