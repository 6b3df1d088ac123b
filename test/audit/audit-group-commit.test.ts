import { afterAll, describe, expect, it } from 'vitest';
import {
  auditEventHash,
  normalizeAuditEvent,
  type ChainedAuditEvent,
} from '../../services/core/audit/audit-event.js';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { createAuditStore, type AuditStore } from '../../services/storage/audit-store.js';
import { AuditEventEntity } from '../../services/storage/entities/audit-event-entity.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { resolveEvent } from './support.js';

const handles: Array<Awaited<ReturnType<typeof openMigratedDataSource>>> = [];
afterAll(() => Promise.all(handles.map((h) => h.close())));

async function open(kind: (typeof DATABASE_KINDS)[number]) {
  const handle = await openMigratedDataSource(kind);
  handles.push(handle);
  const auditStore = createAuditStore(handle);
  const count = (requestId: string) =>
    handle.dataSource.manager.count(AuditEventEntity, { where: { requestId } });
  return { ...handle, auditStore, count };
}

/** The real store, counting the commits the log makes (one-writer path and lock-read-chain fallback). */
function countingStore(auditStore: AuditStore) {
  const counter = { commits: 0 };
  const store: AuditStore = {
    ...auditStore,
    transaction: (work) => {
      counter.commits += 1;
      return auditStore.transaction(work);
    },
    appendToOwnChain: (...args) => {
      counter.commits += 1;
      return auditStore.appendToOwnChain(...args);
    },
  };
  return { store, counter };
}

/**
 * The store with every commit held back, so a batch is still running when callers of
 * later turns arrive (SQLite would otherwise commit within the turn). Long enough for a
 * loaded machine: with 10 ms a CI run once saw the first lane free again by the fourth
 * turn, and only three chains.
 */
function slowStore(auditStore: AuditStore, ms = 100): AuditStore {
  const pause = () => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    ...auditStore,
    transaction: async (work) => {
      await pause();
      return auditStore.transaction(work);
    },
    appendToOwnChain: async (...args) => {
      await pause();
      return auditStore.appendToOwnChain(...args);
    },
  };
}

/** A promise's outcome, as Promise.allSettled reports it. */
const settle = <T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> =>
  promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
/**
 * Calls `call(i)` for each `i` of `turns`, in that turn of the event loop: callers of one
 * turn share a batch, and each later turn takes a lane left free.
 */
function inTurns<T>(turns: number[], call: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(
    turns.map(async (turn, i) => {
      for (let t = 0; t < turn; t += 1) await nextTurn();
      return call(i);
    }),
  );
}

/** Each chain's sequence numbers among `events`, sorted. */
function seqsByChain(events: ChainedAuditEvent[]): Map<string, number[]> {
  const byChain = new Map<string, number[]>();
  for (const e of events) byChain.set(e.chainId, [...(byChain.get(e.chainId) ?? []), e.chainSeq]);
  for (const seqs of byChain.values()) seqs.sort((a, b) => a - b);
  return byChain;
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const fulfilled = <T>(results: Array<PromiseSettledResult<T>>): T[] =>
  results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));

describe.each(DATABASE_KINDS)('%s: appendCommitted group commit', (kind) => {
  it('answers each of many concurrent callers only once its records are committed, in fewer commits, on parallel chains', async () => {
    const { auditStore, count } = await open(kind);
    const { store, counter } = countingStore(slowStore(auditStore));
    const auditLog = await openAuditLog({ auditStore: store, committerChains: 4 });
    const callers = 40;

    // One caller in each of the first four turns takes a lane of its own; the rest
    // arrive while every lane is busy and share the next batches.
    const seenAtAnswer = await inTurns(
      Array.from({ length: callers }, (_, i) => Math.min(i, 4)),
      async (i) => {
        const size = 1 + (i % 5);
        const events = await auditLog.appendCommitted(
          Array.from({ length: size }, (_, n) => resolveEvent(`call-${i}`, { secretName: `S_${n}` })),
        );
        // Read through the data source (another pooled connection on MariaDB): committed, not just written.
        return { size, events, visible: await count(`call-${i}`) };
      },
    );

    for (const [i, { size, events, visible }] of seenAtAnswer.entries()) {
      expect(visible).toBe(size);
      expect(events.map((e) => e.requestId)).toEqual(Array(size).fill(`call-${i}`));
    }
    // Four chains (one per lane, the first being the log's own), each gap-free from 1.
    const byChain = seqsByChain(seenAtAnswer.flatMap((s) => s.events));
    expect(byChain.size).toBe(4);
    expect(byChain.has(auditLog.chainId)).toBe(true);
    for (const seqs of byChain.values()) expect(seqs).toEqual(oneToN(seqs.length));
    expect(counter.commits).toBeGreaterThan(0);
    expect(counter.commits).toBeLessThan(callers);
    const total = seenAtAnswer.reduce((n, s) => n + s.size, 0);
    await expect(verifyAuditLog(auditStore)).resolves.toMatchObject({ ok: true, checked: total });
  });

  it('fails every caller of a batch whose commit fails, writes none of their records, and carries on', async () => {
    const { auditStore, count } = await open(kind);
    // Any batch holding a "poison" record carries one of its rows twice, so its INSERT
    // breaks the (chain_id, chain_seq) unique key inside the database after the chain head
    // has moved in the same transaction: all of it must roll back. Every batch's callers
    // are noted to check who shared it.
    const batches: Array<{ requestIds: string[]; failed: boolean }> = [];
    const slow = slowStore(auditStore);
    const failing: AuditStore = {
      ...slow,
      appendToOwnChain: (chainId, expected, next, events) => {
        const requestIds = [...new Set(events.map((e) => e.requestId))];
        const failed = requestIds.includes('poison');
        batches.push({ requestIds, failed });
        return slow.appendToOwnChain(chainId, expected, next, failed ? [...events, events[0]!] : events);
      },
    };
    const auditLog = await openAuditLog({ auditStore: failing, committerChains: 2 });

    // The first two turns take the two lanes; the third turn's calls queue and share the next batch.
    const labels = ['first', 'second', 'queued-0', 'poison', 'queued-1', 'queued-2', 'queued-3'];
    const outcomes = await inTurns([0, 1, 2, 2, 2, 2, 2], (i) =>
      settle(auditLog.appendCommitted([resolveEvent(labels[i]!)])),
    );
    const byLabel = new Map(labels.map((label, i) => [label, outcomes[i]!.status]));

    const failedBatch = batches.find((b) => b.failed)!;
    expect(failedBatch.requestIds.length).toBeGreaterThan(1);
    for (const batch of batches) {
      for (const label of batch.requestIds) {
        expect(byLabel.get(label)).toBe(batch.failed ? 'rejected' : 'fulfilled');
        expect(await count(label)).toBe(batch.failed ? 0 : 1);
      }
    }

    // Later batches on both chains (the failed batch's included) chain on without a gap.
    const after = await inTurns([0, 1, 2, 2], (i) => auditLog.appendCommitted([resolveEvent(`after-${i}`)]));
    for (let i = 0; i < 4; i++) expect(await count(`after-${i}`)).toBe(1);
    expect(seqsByChain(after.flat()).size).toBe(2);
    const written = labels.filter((label) => byLabel.get(label) === 'fulfilled').length + 4;
    await expect(verifyAuditLog(auditStore)).resolves.toMatchObject({ ok: true, checked: written });
  });

  it('writes a batch again, whole, when its commit was refused for a concurrent transaction (Galera certification)', async () => {
    const { auditStore, count } = await open(kind);
    // The first two tries (one on each path: the one-writer append, then the lock-read-chain
    // fallback a batch of unknown outcome takes) write everything and are refused at
    // COMMIT, as Galera refuses a transaction that lost certification: rolled back whole,
    // error 1213.
    let refusals = 0;
    const deadlock = () =>
      Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), {
        code: 'ER_LOCK_DEADLOCK',
        errno: 1213,
      });
    const refusing: AuditStore = {
      ...auditStore,
      appendToOwnChain: async (chainId, expected, next, events, preconditions) => {
        if (refusals === 0) {
          refusals += 1;
          throw deadlock();
        }
        return auditStore.appendToOwnChain(chainId, expected, next, events, preconditions);
      },
      transaction: (work) => {
        if (refusals !== 1) return auditStore.transaction(work);
        refusals += 1;
        return auditStore.transaction(async (tx) => {
          await work(tx);
          throw deadlock();
        });
      },
    };
    const auditLog = await openAuditLog({ auditStore: refusing, committerChains: 1 });
    const first = await auditLog.appendCommitted([resolveEvent('refused-once')]);
    const second = await auditLog.appendCommitted([resolveEvent('after-refusal')]);
    expect(refusals).toBe(2);
    expect(await count('refused-once')).toBe(1);
    expect(await count('after-refusal')).toBe(1);
    expect(second[0]!.chainId).toBe(first[0]!.chainId);
    expect(second[0]!.chainSeq).toBe(first[0]!.chainSeq + 1);
    await expect(verifyAuditLog(auditStore)).resolves.toMatchObject({ ok: true, checked: 2 });
  });

  it('chains correctly after appends made inside other transactions on the same chain', async () => {
    const { auditStore } = await open(kind);
    const auditLog = await openAuditLog({ auditStore });
    // The first lane writes the log's own chain; an append inside a caller's transaction
    // (as API mutations do) moves its head, and the next batch must notice.
    await auditLog.appendCommitted([resolveEvent('batch-1')]);
    await auditStore.transaction((tx) =>
      auditLog.append(tx, [resolveEvent('in-tx-1'), resolveEvent('in-tx-2')]),
    );
    await expect(auditLog.appendCommitted([resolveEvent('batch-2')])).resolves.toMatchObject([
      { chainSeq: 4 },
    ]);
    // And mixed concurrently.
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => auditLog.appendCommitted([resolveEvent(`mixed-${i}`)])),
      ...Array.from({ length: 5 }, (_, i) =>
        auditStore.transaction((tx) => auditLog.append(tx, [resolveEvent(`mixed-tx-${i}`)])),
      ),
    ]);
    await expect(verifyAuditLog(auditStore)).resolves.toMatchObject({ ok: true, checked: 19 });
  });

  it('never chains onto a head moved behind its back: each such chain is reported and left for a new one', async () => {
    const { dataSource, auditStore, count } = await open(kind);
    const conflicts: Array<{ chainId: string; foundSeq: number; newChainId: string }> = [];
    const auditLog = await openAuditLog({
      auditStore: slowStore(auditStore),
      committerChains: 3,
      onChainConflict: (conflict) => conflicts.push(conflict),
    });
    // Callers in three turns take one lane each, so every chain gets a head the log remembers.
    const round = (label: string) =>
      inTurns([0, 1, 2], (i) => settle(auditLog.appendCommitted([resolveEvent(`${label}-${i}`)])));
    const chains = [...seqsByChain(fulfilled(await round('first')).flat()).keys()];
    expect(chains).toHaveLength(3);

    // A database writer appends a correctly chained record to every chain, under the head lock.
    for (const chainId of chains) {
      await auditStore.transaction(async (tx) => {
        const head = (await auditStore.lockChainHead(tx, chainId))!;
        const unsealed = {
          chainId,
          chainSeq: Number(head.lastSeq) + 1,
          prevHash: head.lastHash,
          ...normalizeAuditEvent(resolveEvent('behind-its-back'), new Date()),
        };
        const event = { ...unsealed, hash: auditEventHash(unsealed) };
        await auditStore.insertEvents(tx, [event]);
        await auditStore.updateChainHead(tx, chainId, { lastSeq: event.chainSeq, lastHash: event.hash });
      });
    }
    const second = await round('second');
    expect(second.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    // Nothing went onto the forged heads: every record starts a new chain, each conflict reported.
    const secondEvents = fulfilled(second).map((events) => events[0]!);
    expect(secondEvents.map((e) => e.chainSeq)).toEqual([1, 1, 1]);
    expect(secondEvents.every((e) => !chains.includes(e.chainId))).toBe(true);
    expect(conflicts.map((c) => c.chainId).sort()).toEqual([...chains].sort());
    expect(conflicts.every((c) => c.foundSeq === 2)).toBe(true);
    expect(conflicts.map((c) => c.newChainId).sort()).toEqual(secondEvents.map((e) => e.chainId).sort());
    for (const chainId of chains) {
      const head = (await auditStore.listChains()).find((c) => c.chainId === chainId)!;
      expect(Number(head.lastSeq)).toBe(2);
    }
    await expect(verifyAuditLog(auditStore)).resolves.toMatchObject({ ok: true, checked: 9 });

    // A row at the next sequence number written without moving the head: the next batch
    // on that chain collides with it and fails closed, writing nothing, head unmoved.
    const victim = secondEvents[0]!.chainId;
    await dataSource.query(
      `INSERT INTO audit_events (chain_id, chain_seq, prev_hash, hash, occurred_at, action, outcome,
         actor_type, actor_id, workspace_id, secret_id, secret_name, scope, version, workflow_id, run_id,
         \`trigger\`, runner, request_id, source_address, reason)
       VALUES (?, 2, '', '', ?, 'secret.resolve', 'SUCCESS', 'runner', 'x', '', '', '', '', 0, '', '', '', '',
         'squatter', '', '')`,
      [victim, '2026-01-01 00:00:00'],
    );
    const third = (await round('third')).map((r) => r.status);
    expect(third.filter((s) => s === 'rejected')).toHaveLength(1);
    expect(await count(`third-${third.indexOf('rejected')}`)).toBe(0);
    const victimHead = (await auditStore.listChains()).find((c) => c.chainId === victim)!;
    expect(Number(victimHead.lastSeq)).toBe(1);

    // Once the squatter is gone the chain takes appends again, and the whole log verifies.
    await dataSource.query("DELETE FROM audit_events WHERE request_id = 'squatter'");
    const fourth = await round('fourth');
    expect(fourth.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    await expect(verifyAuditLog(auditStore)).resolves.toMatchObject({ ok: true, checked: 14 });
    expect(conflicts).toHaveLength(3);
  });
});
