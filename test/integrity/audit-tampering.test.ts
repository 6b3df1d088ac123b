import { afterEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import type { AuditEventInput } from '../../services/core/audit/audit-event.js';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { resolveEvent } from '../audit/support.js';
import { openCheckpointEnv, type CheckpointEnv } from './support/checkpoint-env.js';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

/**
 * A log as the issue found it: a resolve chain with minutes-old history and a
 * `keys.rewrap` chain of another process, then a signed checkpoint over both.
 */
async function seedAndCheckpoint(env: CheckpointEnv) {
  const resolves = await env.runtime.auditLog.appendCommitted(
    Array.from({ length: 8 }, (_, i) =>
      resolveEvent(`r${i}`, { runner: 'spiffe://strongroom/runner/a', occurredAt: minutesAgo(9 - i) }),
    ),
  );
  const rewrapLog = await openAuditLog({ auditStore: env.runtime.auditStore });
  const rewrapEvent: AuditEventInput = {
    action: 'keys.rewrap',
    outcome: 'SUCCESS',
    actorType: 'operator',
    actorId: 'os:ops',
    reason: 'to active key k2',
  };
  const rewraps = await rewrapLog.appendCommitted([rewrapEvent, rewrapEvent, rewrapEvent]);
  const checkpoint = await env.runtime.checkpoints.write('command');
  expect(checkpoint).not.toBeNull();
  return { resolveChain: resolves[0]!.chainId, rewrapChain: rewraps[0]!.chainId };
}

/** What every way of verifying says: the library, the CLI, and a checkpoint writer asked to sign. */
async function verdicts(env: CheckpointEnv) {
  const { publicKey } = await env.runtime.integrity.keys();
  const library = await verifyAuditLog(env.runtime.auditStore, {
    checkpointStore: env.runtime.checkpointStore,
    publicKey,
  });
  const cli = await env.auditCli(['verify', '--json']);
  const signing = await env.runtime.checkpoints.write('periodic').then(
    () => 'signed',
    (error: { code?: string; details?: { check?: string } }) => `${error.code}:${error.details?.check}`,
  );
  return {
    library,
    cli: { code: cli.code, report: cli.out ? (JSON.parse(cli.out) as Record<string, unknown>) : null },
    signing,
  };
}

type Tampering = [
  label: string,
  tamper: (env: CheckpointEnv, chains: { resolveChain: string; rewrapChain: string }) => Promise<unknown>,
  check: string,
];

const tamperings: Tampering[] = [
  [
    'two resolve rows deleted, the runner of a third changed, the rest re-hashed and the head moved',
    async (env, { resolveChain }) => {
      const events = await env.chainEvents(resolveChain);
      await env.dataSource.query('DELETE FROM audit_events WHERE id IN (?, ?)', [
        events[2]!.id,
        events[3]!.id,
      ]);
      await env.dataSource.query(
        "UPDATE audit_events SET runner = 'spiffe://strongroom/runner/evil' WHERE id = ?",
        [events[5]!.id],
      );
      await env.rehashChain(resolveChain, 3);
    },
    'chain-cut',
  ],
  [
    'the runner of one resolve row changed and the chain re-hashed to its full length',
    async (env, { resolveChain }) => {
      const events = await env.chainEvents(resolveChain);
      await env.dataSource.query(
        "UPDATE audit_events SET runner = 'spiffe://strongroom/runner/evil' WHERE id = ?",
        [events[4]!.id],
      );
      await env.rehashChain(resolveChain, 5);
    },
    'record-rewritten',
  ],
  [
    'the whole keys.rewrap chain deleted with its head row',
    async (env, { rewrapChain }) => {
      await env.dataSource.query('DELETE FROM audit_events WHERE chain_id = ?', [rewrapChain]);
      await env.dataSource.query('DELETE FROM audit_chains WHERE chain_id = ?', [rewrapChain]);
    },
    'chain-missing',
  ],
  [
    "a chain's last two rows cut and its head moved back",
    async (env, { resolveChain }) => {
      const events = await env.chainEvents(resolveChain);
      const kept = events.at(-3)!;
      await env.dataSource.query('DELETE FROM audit_events WHERE id IN (?, ?)', [
        events.at(-1)!.id,
        events.at(-2)!.id,
      ]);
      await env.dataSource.query('UPDATE audit_chains SET last_seq = ?, last_hash = ? WHERE chain_id = ?', [
        kept.chainSeq,
        kept.hash,
        resolveChain,
      ]);
    },
    'chain-cut',
  ],
  [
    'the first three minutes-old events deleted and the prune anchor set, with no signed prune',
    async (env, { resolveChain }) => {
      const events = await env.chainEvents(resolveChain);
      const third = events[2]!;
      await env.dataSource.query('DELETE FROM audit_events WHERE chain_id = ? AND chain_seq <= 3', [
        resolveChain,
      ]);
      await env.dataSource.query(
        'UPDATE audit_chains SET pruned_through_seq = 3, pruned_through_hash = ? WHERE chain_id = ?',
        [third.hash, resolveChain],
      );
    },
    'prune-unsigned',
  ],
];

describe.each(DATABASE_KINDS)('a database writer against signed checkpoints on %s', (kind) => {
  let env: CheckpointEnv | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it('an untouched log verifies under its checkpoint, by library and CLI, and the next checkpoint signs', async () => {
    env = await openCheckpointEnv(kind);
    await seedAndCheckpoint(env);
    const { library, cli, signing } = await verdicts(env);
    expect(library).toMatchObject({ ok: true, checked: 11, failedCheck: null, checkpointSeq: 1 });
    expect(library.checkpointAt).toBeInstanceOf(Date);
    expect(cli).toMatchObject({ code: 0, report: { ok: true, checked: 11, checkpointSeq: 1 } });
    // Nothing moved since: no new checkpoint is needed, and none is written.
    expect(signing).toBe('signed');
    expect(await env.runtime.checkpointStore.newest()).toMatchObject({ seq: 1 });
  });

  it.each(tamperings)('%s: detected', async (_label, tamper, check) => {
    env = await openCheckpointEnv(kind);
    const chains = await seedAndCheckpoint(env);
    await tamper(env, chains);
    const { library, cli, signing } = await verdicts(env);
    expect(library).toMatchObject({ ok: false, failedCheck: check });
    expect(library.problem).toBeTruthy();
    expect(cli).toMatchObject({ code: 1, report: { ok: false, failedCheck: check } });
    // A process asked to sign now refuses: signing would bless the forgery.
    expect(signing).toBe(`DATA_LOSS:${check}`);
    expect(await env.runtime.checkpointStore.newest()).toMatchObject({ seq: 1 });
    expect(env.logLines.join('\n')).toMatch(/Audit checkpoint refused/);
  });
});
