import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidateLookupCoalescer } from '../../services/core/resolution/candidate-lookup-coalescer.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import {
  createResolutionStore,
  type CandidateQuery,
  type CandidateSecret,
  type ResolutionStore,
} from '../../services/storage/resolution-store.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { DATABASE_KINDS, openMigratedDataSource } from '../support/databases.js';
import { rotateSecret, seedSecret, type SeedDeps } from '../support/seed-secret.js';
import { createTestKeyring } from '../support/test-keyring.js';

/** What a candidate list says, without the sealed bytes, in a stable order. */
const summary = (candidates: CandidateSecret[]) =>
  candidates
    .map((c) => `${c.workspaceId}/${c.scope}/${c.ownerId}/${c.name}@${c.version}:${c.principalIsMember}`)
    .sort();

/** The real store, counting statements and able to hold the next one's answer until released. */
function instrumented(store: ResolutionStore) {
  const state = { statements: 0, lookups: [] as number[], hold: undefined as Promise<void> | undefined };
  const wrapped: Pick<ResolutionStore, 'findCandidateSnapshots'> = {
    async findCandidateSnapshots(queries: readonly CandidateQuery[]) {
      state.statements += 1;
      state.lookups.push(queries.length);
      const hold = state.hold;
      state.hold = undefined;
      const answer = await store.findCandidateSnapshots(queries);
      await hold;
      return answer;
    },
  };
  return { state, wrapped };
}

describe.each(DATABASE_KINDS)('candidate lookups of concurrent resolves on %s', (kind) => {
  let db: Awaited<ReturnType<typeof openMigratedDataSource>>;
  let deps: SeedDeps;
  let store: ResolutionStore;
  beforeAll(async () => {
    db = await openMigratedDataSource(kind);
    deps = {
      secretStore: createSecretStore(db),
      cipher: createEnvelopeCipher({ keyring: createTestKeyring() }),
    };
    store = createResolutionStore(db);
    for (const workspaceId of ['w1', 'w2']) {
      for (let i = 0; i < 20; i += 1)
        await seedSecret(deps, { workspaceId, name: `S${i}`, value: `${workspaceId}-${i}` });
    }
    await seedSecret(deps, {
      workspaceId: 'w1',
      name: 'MINE',
      value: 'a',
      scope: 'PERSONAL',
      ownerId: 'alice',
    });
    await seedSecret(deps, {
      workspaceId: 'w1',
      name: 'MINE',
      value: 'b',
      scope: 'PERSONAL',
      ownerId: 'bob',
    });
    await seedSecret(deps, {
      workspaceId: 'w1',
      name: 'S0',
      value: 'shadowed',
      scope: 'PERSONAL',
      ownerId: 'bob',
    });
    await seedSecret(deps, { workspaceId: 'w2', name: 'LOCKED', value: 'x', members: ['alice'] });
  });
  afterAll(async () => {
    await db?.close();
  });

  const generationsByWorkspace = async () =>
    new Map(
      (
        (await db.dataSource.query(
          'SELECT workspace_id AS w, generation AS g FROM secret_generations',
        )) as Array<{
          w: string;
          g: number | string;
        }>
      ).map((r) => [r.w, Number(r.g)]),
    );

  const lookups: CandidateQuery[] = [
    { workspaceId: 'w1', principal: 'alice', names: ['S1', 'S2', 'MINE'] },
    { workspaceId: 'w1', principal: 'bob', names: ['MINE', 'S0', 'NOPE'] },
    { workspaceId: 'w2', principal: 'alice', names: ['S1', 'LOCKED'] },
    { workspaceId: 'w2', principal: 'bob', names: ['LOCKED', 'MINE'] },
    { workspaceId: 'w1', principal: 'alice', names: ['S19', 'S1', 'S1'] },
    { workspaceId: 'w3', principal: 'alice', names: ['S1'] },
    { workspaceId: 'w1', principal: 'alice', names: [] },
  ];

  it('answers many lookups in one statement exactly as it answers each alone', async () => {
    const alone = await Promise.all(
      lookups.map((q) => store.findCandidates(q.workspaceId, q.principal, q.names)),
    );
    const together = await store.findCandidateSnapshots(lookups);
    expect(together.map((s) => summary(s.candidates))).toEqual(alone.map(summary));
    // Each comes with its workspace's generation, read in the same statement.
    const generations = await generationsByWorkspace();
    expect(together.map((s) => s.generation)).toEqual(
      lookups.map((q) => generations.get(q.workspaceId) ?? 0),
    );
    expect(generations.get('w1')).toBeGreaterThan(0);
    expect(together[5]).toEqual({ generation: 0, candidates: [] });
    // Spot checks that the reference answers are themselves right.
    expect(summary(alone[1]!)).toEqual([
      'w1/PERSONAL/bob/MINE@1:false',
      'w1/PERSONAL/bob/S0@1:false',
      'w1/WORKSPACE//S0@1:false',
    ]);
    expect(summary(alone[2]!)).toEqual(['w2/WORKSPACE//LOCKED@1:true', 'w2/WORKSPACE//S1@1:false']);
    expect(summary(alone[3]!)).toEqual(['w2/WORKSPACE//LOCKED@1:false']);
    expect(alone[5]).toEqual([]);
    // Name lists padded to a power of two (3 names, 4 slots) bring no row twice.
    expect(summary((await store.findCandidateSnapshots([lookups[0]!]))[0]!.candidates)).toEqual(
      summary(alone[0]!),
    );
  });

  it('sends one statement for lookups that arrive while others are in flight, each answered as alone', async () => {
    const { state, wrapped } = instrumented(store);
    const coalescer = createCandidateLookupCoalescer({ store: wrapped, concurrency: 2 });
    const many = Array.from({ length: 60 }, (_, i) => lookups[i % lookups.length]!);
    const answers = await Promise.all(
      many.map(async (q) => (await coalescer.findSnapshot(q.workspaceId, q.principal, q.names)).candidates),
    );
    const alone = await Promise.all(
      many.map((q) => store.findCandidates(q.workspaceId, q.principal, q.names)),
    );
    expect(answers.map(summary)).toEqual(alone.map(summary));
    // 60 lookups (the empty ones never reach the store): the first two go alone, the rest together.
    expect(state.statements).toBeLessThanOrEqual(4);
    expect(state.lookups.reduce((a, b) => a + b, 0)).toBe(many.filter((q) => q.names.length > 0).length);
  });

  it('never answers a lookup from a statement sent before it arrived: a rotation is seen by the next call', async () => {
    const { state, wrapped } = instrumented(store);
    const coalescer = createCandidateLookupCoalescer({ store: wrapped, concurrency: 1 });
    const [secret] = await deps.secretStore.findSecretsByNames(
      { workspaceId: 'w2', scope: 'WORKSPACE', ownerId: '' },
      ['S5'],
    );
    let release!: () => void;
    state.hold = new Promise((resolve) => (release = resolve));
    const before = coalescer.findSnapshot('w2', 'alice', ['S5']);
    // The first statement has read its rows and is held; the rotation commits after it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const version = await rotateSecret(deps, secret!, 'rotated');
    const after = coalescer.findSnapshot('w2', 'alice', ['S5']);
    release();
    expect((await before).candidates[0]!.version).toBe(version - 1);
    expect((await after).candidates[0]!.version).toBe(version);
    // The rotation moved the workspace's generation, so whatever was kept of `before` is known stale.
    expect((await after).generation).toBeGreaterThan((await before).generation);
    expect(state.statements).toBe(2);
  });

  it('fails every lookup of a failed statement, and the next statement serves again', async () => {
    let statement = 0;
    const coalescer = createCandidateLookupCoalescer({
      concurrency: 1,
      store: {
        async findCandidateSnapshots(queries) {
          statement += 1;
          // The first is slow, so the next two queue behind it and share the second, which fails.
          if (statement === 1) await new Promise((resolve) => setTimeout(resolve, 30));
          if (statement === 2) throw new Error('connection lost');
          return store.findCandidateSnapshots(queries);
        },
      },
    });
    const first = coalescer.findSnapshot('w1', 'alice', ['S1']);
    // A later turn: lookups of one turn would share the first statement.
    await new Promise((resolve) => setImmediate(resolve));
    const queued = [
      coalescer.findSnapshot('w1', 'alice', ['S2']),
      coalescer.findSnapshot('w2', 'bob', ['S3']),
    ];
    expect(summary((await first).candidates)).toEqual(['w1/WORKSPACE//S1@1:false']);
    for (const lookup of queued) await expect(lookup).rejects.toThrow('connection lost');
    expect(summary((await coalescer.findSnapshot('w1', 'alice', ['S4'])).candidates)).toEqual([
      'w1/WORKSPACE//S4@1:false',
    ]);
    expect(statement).toBe(3);
  });
});
