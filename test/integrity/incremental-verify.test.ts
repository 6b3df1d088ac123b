import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../../services/core/audit/audit-event.js';
import type { VerifierAuditStore } from '../../services/core/audit/audit-verifier.js';
import { createIncrementalAuditVerifier } from '../../services/core/audit/incremental-audit-verifier.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { openCheckpointEnv } from './support/checkpoint-env.js';

const resolveEvent = (i: number): AuditEventInput => ({
  action: 'secret.resolve',
  outcome: 'SUCCESS',
  actorType: 'runner',
  actorId: 'runner-a',
  workspaceId: 'ws-inc',
  secretName: `NAME_${i}`,
  version: 1,
  runId: `run-${i}`,
  requestId: `inc-${i}`,
});

/** The audit store as the verifier uses it, counting walks (snapshots) and the event rows it reads. */
function countingStore(store: VerifierAuditStore) {
  const counts = { snapshots: 0, eventsRead: 0 };
  const counted: VerifierAuditStore = {
    snapshot: (work) => {
      counts.snapshots += 1;
      return store.snapshot(work);
    },
    listChains: (tx) => store.listChains(tx),
    listEventsAfter: async (afterId, limit, tx) => {
      const rows = await store.listEventsAfter(afterId, limit, tx);
      counts.eventsRead += rows.length;
      return rows;
    },
    findEventsAt: (tx, positions) => store.findEventsAt(tx, positions),
  };
  return { counted, counts };
}

describe.each(DATABASE_KINDS)("the API's verifyAuditLog is bounded in cost on %s", (kind) => {
  let env: Awaited<ReturnType<typeof openCheckpointEnv>> | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('ten verifications at once walk the log once, and the next reads only what was written since', async () => {
    env = await openCheckpointEnv(kind);
    const { runtime } = env;
    for (let i = 0; i < 600; i += 200) {
      await runtime.auditLog.appendCommitted(Array.from({ length: 200 }, (_, k) => resolveEvent(i + k)));
    }
    await runtime.checkpoints.write('command', { force: true });
    const { counted, counts } = countingStore(runtime.auditStore);
    const verifier = createIncrementalAuditVerifier({
      auditStore: counted,
      checkpointStore: runtime.checkpointStore,
      publicKey: async () => (await runtime.integrity.keys()).publicKey,
      maxCheckpointAgeMs: 3_600_000,
    });

    // What ten aliases of verifyAuditLog in one GraphQL request do: ask at once.
    const answers = await Promise.all(Array.from({ length: 10 }, () => verifier.verify('ws-inc')));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ ok: true, checked: 600 });
    expect(counts.snapshots).toBe(1);
    const firstRead = counts.eventsRead;
    expect(firstRead).toBeGreaterThanOrEqual(600);

    await runtime.auditLog.appendCommitted(Array.from({ length: 25 }, (_, k) => resolveEvent(1000 + k)));
    await runtime.checkpoints.write('command');
    const next = await verifier.verify('ws-inc');
    expect(next).toMatchObject({ ok: true, checked: 625 });
    expect(counts.snapshots).toBe(2);
    // From the last verified position: the 25 new events (and the process's own records), not the 600 again.
    expect(counts.eventsRead - firstRead).toBeLessThan(100);
  });

  it('an edit in the middle of verified history is caught by the next full walk, and by audit verify at once', async () => {
    env = await openCheckpointEnv(kind);
    const { runtime, dataSource } = env;
    await runtime.auditLog.appendCommitted(Array.from({ length: 50 }, (_, k) => resolveEvent(k)));
    await runtime.checkpoints.write('command', { force: true });
    let now = Date.now();
    const verifier = createIncrementalAuditVerifier({
      auditStore: runtime.auditStore,
      checkpointStore: runtime.checkpointStore,
      publicKey: async () => (await runtime.integrity.keys()).publicKey,
      maxCheckpointAgeMs: 86_400_000,
      fullEveryMs: 3_600_000,
      clock: () => new Date(now),
    });
    expect(await verifier.verify()).toMatchObject({ ok: true });
    await dataSource.query("UPDATE audit_events SET runner = 'mallory' WHERE request_id = 'inc-7'");
    // `strongroom audit verify` walks everything, every time.
    const cli = await env.auditCli(['verify', '--json']);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.out)).toMatchObject({ ok: false, failedCheck: 'record-rewritten' });
    // The API's verifier walks everything again once an hour (docs/audit.md, Verification).
    now += 3_600_001;
    expect(await verifier.verify()).toMatchObject({ ok: false, failedCheck: 'record-rewritten' });
  });
});
