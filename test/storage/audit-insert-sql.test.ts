import { describe, expect, it } from 'vitest';
import type { ChainedAuditEvent } from '../../services/core/audit/audit-event.js';
import { mariadbInsertEventsSql } from '../../services/storage/audit-insert-sql.js';

// Which form a batch is written in; that each form stores every value exactly is
// proved against both databases in test/audit/audit-chain.test.ts.
const resolveRecord = (seq: number, overrides: Partial<ChainedAuditEvent> = {}): ChainedAuditEvent => ({
  chainId: 'chain-1',
  chainSeq: seq,
  prevHash: `prev-${seq}`,
  hash: `hash-${seq}`,
  occurredAt: new Date('2026-12-02T10:00:00.000Z'),
  action: 'secret.resolve',
  outcome: 'SUCCESS',
  actorType: 'runner',
  actorId: 'runner-a',
  workspaceId: 'ws-1',
  secretId: `secret-${seq}`,
  secretName: `NAME_${seq}`,
  scope: 'WORKSPACE',
  version: 1,
  workflowId: 'wf-1',
  runId: 'run-1',
  trigger: 'MANUAL',
  runner: 'runner-a',
  requestId: 'req-1',
  sourceAddress: '10.0.0.1',
  reason: '',
  principal: 'alice',
  triggeredBy: 'alice',
  workflowOwner: 'bob',
  stepId: 'step-1',
  grantId: 'grant-1',
  occurrences: 1,
  ...overrides,
});

describe('mariadbInsertEventsSql', () => {
  it('writes the values a batch shares once, and orders the rows by sequence number', () => {
    const sql = mariadbInsertEventsSql([resolveRecord(7), resolveRecord(8), resolveRecord(9)]);
    expect(sql).toContain('WITH v (');
    // Shared: written once, in the SELECT list.
    expect(sql.match(/'runner-a'/g)).toHaveLength(2);
    expect(sql.match(/'ws-1'/g)).toHaveLength(1);
    // Varying: once per row.
    expect(sql.match(/'NAME_\d'/g)).toEqual(["'NAME_7'", "'NAME_8'", "'NAME_9'"]);
    expect(sql).toMatch(/ORDER BY v\.c1$/);
  });

  it('writes a single event as plain VALUES', () => {
    expect(mariadbInsertEventsSql([resolveRecord(1)])).toMatch(/\) VALUES \('chain-1', 1, /);
  });

  it('writes a batch that shares few columns as plain VALUES', () => {
    const varied = (seq: number) =>
      resolveRecord(seq, {
        occurredAt: new Date(Date.UTC(2026, 0, seq)),
        actorId: `a${seq}`,
        workspaceId: `w${seq}`,
        workflowId: `f${seq}`,
        runId: `r${seq}`,
        runner: `n${seq}`,
        requestId: `q${seq}`,
        sourceAddress: `s${seq}`,
        version: seq,
        principal: `p${seq}`,
        triggeredBy: `t${seq}`,
        workflowOwner: `o${seq}`,
        stepId: `st${seq}`,
        grantId: `g${seq}`,
        // Seven columns shared (chain, action, outcome, actor type, scope, trigger, reason): below the threshold.
        occurrences: seq,
      });
    const sql = mariadbInsertEventsSql([varied(1), varied(2)]);
    expect(sql).not.toContain('WITH v');
    expect(sql).toContain(') VALUES (');
  });
});
