import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { createCandidateCache } from '../../services/core/resolution/candidate-cache.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import type {
  CandidateSecret,
  CandidateSnapshot,
  ResolutionStore,
} from '../../services/storage/resolution-store.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { rotateSecret, seedSecret } from '../support/seed-secret.js';
import { createResolverHarness, type ResolverHarness } from './support/resolver-harness.js';
import { createTestPki, type TestPki } from './support/test-pki.js';

/** A candidate whose sealed value is `valueBytes` long. */
const candidate = (name: string, version = 1, valueBytes = 16): CandidateSecret =>
  ({
    id: `id-${name}`,
    name,
    version,
    scope: 'WORKSPACE',
    sealed: {
      ciphertext: Buffer.alloc(valueBytes),
      iv: Buffer.alloc(12),
      tag: Buffer.alloc(16),
      wrappedKey: Buffer.alloc(60),
      keyId: 'k',
    },
  }) as CandidateSecret;

/** A lookup answering from a script, counting what it was asked. */
function scriptedLookup(answer: (names: readonly string[]) => CandidateSnapshot) {
  const asked: string[][] = [];
  return {
    asked,
    lookup: {
      findSnapshot: async (_ws: string, _principal: string, names: readonly string[]) => {
        asked.push([...names]);
        return answer(names);
      },
    },
  };
}

describe('candidate cache', () => {
  it('answers kept names without a lookup, and marks what it kept', async () => {
    const { asked, lookup } = scriptedLookup((names) => ({
      generation: 4,
      candidates: names.filter((n) => n !== 'MISSING').map((n) => candidate(n)),
    }));
    const cache = createCandidateCache({ lookup });
    expect(await cache.find('w', 'p', ['A', 'MISSING'])).toMatchObject({ generation: 4, cached: false });
    const again = await cache.find('w', 'p', ['MISSING', 'A']);
    expect(again).toMatchObject({ generation: 4, cached: true });
    expect(again.candidates.map((c) => c.name)).toEqual(['A']);
    // Another principal, or a name not kept, or `fresh`, goes to the database.
    await cache.find('w', 'other', ['A']);
    await cache.find('w', 'p', ['A', 'B']);
    await cache.find('w', 'p', ['A'], { fresh: true });
    expect(asked).toEqual([['A', 'MISSING'], ['A'], ['A', 'B'], ['A']]);
    // Kept: A and MISSING for p, A for other, then B for p.
    expect(cache.bytes()).toBeGreaterThan(3 * (256 + 16 + 60 + 12 + 16));
  });

  it('forgets a workspace on invalidate, and entries older than the TTL', async () => {
    let now = 0;
    const { asked, lookup } = scriptedLookup((names) => ({
      generation: 1,
      candidates: names.map((n) => candidate(n)),
    }));
    const cache = createCandidateCache({ lookup, ttlMs: 1_000, now: () => now });
    await cache.find('w', 'p', ['A']);
    await cache.find('w2', 'p', ['A']);
    cache.invalidate('w');
    expect((await cache.find('w', 'p', ['A'])).cached).toBe(false);
    expect((await cache.find('w2', 'p', ['A'])).cached).toBe(true);
    now = 1_000;
    expect((await cache.find('w2', 'p', ['A'])).cached).toBe(false);
    expect(asked).toHaveLength(4);
  });

  it('lets go of expired entries, at the next call or a sweep, even ones nobody asks for again', async () => {
    let now = 0;
    const { lookup } = scriptedLookup((names) => ({
      generation: 1,
      candidates: names.map((n) => candidate(n)),
    }));
    const cache = createCandidateCache({ lookup, ttlMs: 1_000, now: () => now });
    await cache.find('w1', 'p', ['A']);
    now = 500;
    await cache.find('w2', 'p', ['A']);
    const both = cache.bytes();
    expect(both).toBeGreaterThan(0);
    // w1's entry expires; a call for another workspace drops it.
    now = 1_200;
    await cache.find('w2', 'p', ['A']);
    expect(cache.bytes()).toBe(both / 2);
    // w2's expires too, and with no call at all a sweep drops it.
    now = 1_600;
    cache.sweep();
    expect(cache.bytes()).toBe(0);
  });

  it('keeps the newer generation when an older answer arrives late, and starts over on a newer one', async () => {
    let generation = 5;
    const { lookup } = scriptedLookup((names) => ({
      generation,
      candidates: names.map((n) => candidate(n, generation)),
    }));
    const cache = createCandidateCache({ lookup });
    await cache.find('w', 'p', ['A']);
    generation = 3;
    await cache.find('w', 'p', ['B']);
    // B's older answer was not kept beside A's newer one.
    expect((await cache.find('w', 'p', ['A'])).cached).toBe(true);
    generation = 9;
    await cache.find('w', 'p', ['B']);
    expect(await cache.find('w', 'p', ['B'])).toMatchObject({ generation: 9, cached: true });
    // A was kept at generation 5 and is gone with it.
    expect((await cache.find('w', 'p', ['A'])).cached).toBe(false);
  });

  it('keeps about maxBytes of sealed values at most, dropping the oldest entries first', async () => {
    // Two 1 KiB values per entry: about 2.8 KiB kept per entry with the allowances.
    const { lookup } = scriptedLookup((names) => ({
      generation: 1,
      candidates: names.map((n) => candidate(n, 1, 1_024)),
    }));
    const cache = createCandidateCache({ lookup, maxBytes: 4_000 });
    await cache.find('w1', 'p', ['A', 'B']);
    await cache.find('w2', 'p', ['C', 'D']);
    expect(cache.bytes()).toBeLessThanOrEqual(4_000);
    expect((await cache.find('w2', 'p', ['C'])).cached).toBe(true);
    expect((await cache.find('w1', 'p', ['A'])).cached).toBe(false);
    // One lookup larger than the cap is answered but not kept.
    const big = await cache.find('w3', 'p', ['E', 'F', 'G', 'H']);
    expect(big.candidates).toHaveLength(4);
    expect(cache.bytes()).toBeLessThanOrEqual(4_000);
    expect((await cache.find('w3', 'p', ['E'])).cached).toBe(false);
  });
});

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(DATABASE_KINDS)('resolver on %s: kept candidates are proven current at commit', (kind) => {
  let h: ResolverHarness;
  let port: number;
  let statements = 0;
  const workspaceId = `ws-${randomUUID().slice(0, 8)}`;
  const context = () => ({
    workspaceId,
    workflowId: 'wf-cache',
    runId: `run-${randomUUID().slice(0, 8)}`,
    trigger: Trigger.MANUAL,
    triggeredBy: 'alice',
    workflowOwner: 'owen',
    stepId: 's',
  });
  const resolve = async (names: string[]) => {
    const requestId = randomUUID();
    const result = await h.client(port).resolve({ context: context(), names }, { requestId });
    return { ...result, requestId };
  };

  beforeAll(async () => {
    h = await createResolverHarness(kind, pki);
    const counting: Pick<ResolutionStore, 'findCandidateSnapshots'> = {
      findCandidateSnapshots: (queries) => {
        statements += 1;
        return h.store.findCandidateSnapshots(queries);
      },
    };
    ({ port } = await h.startServer({ store: counting }));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves a repeat call without a SELECT, and the call after a rotation gets the new version', async () => {
    const secret = await seedSecret(h, { workspaceId, name: 'ROTATING', value: 'first-value-1' });
    statements = 0;
    expect((await resolve(['ROTATING'])).response?.secrets[0]?.value).toBe('first-value-1');
    expect((await resolve(['ROTATING'])).response?.secrets[0]?.value).toBe('first-value-1');
    expect(statements).toBe(1);

    // Committed by another writer: this resolver is told nothing.
    await rotateSecret(h, secret, 'second-value-2');
    const after = await resolve(['ROTATING']);
    expect(after.response?.secrets[0]).toMatchObject({ value: 'second-value-2', version: 2 });
    // The kept read was refused at commit and wrote nothing; the fresh one is the only record.
    const records = await h.auditEvents(after.requestId);
    expect(records.map((r) => [r.outcome, r.version])).toEqual([['SUCCESS', 2]]);
    expect(statements).toBe(2);
    await expect(verifyAuditLog(createAuditStore(h))).resolves.toMatchObject({ ok: true });
  });

  it('never serves a version older than a rotation that committed before the call began, under load', async () => {
    const secret = await seedSecret(h, { workspaceId, name: 'HOT', value: 'hot-v1' });
    // Each rotation's version, and when its commit had returned.
    const committed: Array<{ version: number; at: number }> = [];
    const calls: Array<{ startedAt: number; version: number; value: string; requestId: string }> = [];
    let rotating = true;
    const rotations = (async () => {
      for (let i = 0; i < 12; i += 1) {
        // Rotate only once calls have been served since the last one, on either database.
        const served = calls.length;
        while (calls.length < served + 3) await new Promise((resolve) => setTimeout(resolve, 2));
        const version = await rotateSecret(h, secret, `hot-v${i + 2}`);
        committed.push({ version, at: performance.now() });
      }
      rotating = false;
    })();
    const workers = Array.from({ length: 8 }, async () => {
      while (rotating) {
        const startedAt = performance.now();
        const { response, error, requestId } = await resolve(['HOT']);
        expect(error).toBeUndefined();
        const served = response!.secrets[0]!;
        calls.push({ startedAt, version: served.version, value: served.value, requestId });
      }
    });
    await Promise.all([rotations, ...workers]);

    expect(calls.length).toBeGreaterThanOrEqual(36);
    // Calls saw most of the versions, not only the first and last.
    expect(new Set(calls.map((c) => c.version)).size).toBeGreaterThan(6);
    for (const call of calls) {
      const newestBefore = committed.filter((c) => c.at < call.startedAt).at(-1)?.version ?? 1;
      expect(call.version).toBeGreaterThanOrEqual(newestBefore);
      expect(call.value).toBe(`hot-v${call.version}`);
    }
    // Each call's audit record names exactly the version it was sent.
    for (const call of calls.slice(-10)) {
      const records = await h.auditEvents(call.requestId);
      expect(records.map((r) => [r.outcome, r.version])).toEqual([['SUCCESS', call.version]]);
    }
  });

  it('finds a name created after it was kept as missing', async () => {
    const missing = await resolve(['LATE_COMER']);
    expect(missing.error?.code).toBe(status.NOT_FOUND);
    expect((await resolve(['LATE_COMER'])).error?.code).toBe(status.NOT_FOUND);
    await seedSecret(h, { workspaceId, name: 'LATE_COMER', value: 'late-value-3' });
    expect((await resolve(['LATE_COMER'])).response?.secrets[0]?.value).toBe('late-value-3');
  });

  it('applies a membership change and a deletion on the next call', async () => {
    const restricted = await seedSecret(h, {
      workspaceId,
      name: 'RESTRICTED',
      value: 'restricted-value-4',
      members: ['bob'],
    });
    expect((await resolve(['RESTRICTED'])).error?.code).toBe(status.PERMISSION_DENIED);
    // As the member service does it: the change and the secret's new state tag in one transaction.
    await h.secretStore.transaction(async (tx) => {
      await h.secretStore.upsertMember(tx, {
        secretId: restricted.id,
        userId: 'alice',
        role: 'MEMBER',
        createdAt: new Date(),
        createdBy: 'test',
      });
      await h.stateSealer!.seal(tx, restricted.id);
    });
    expect((await resolve(['RESTRICTED'])).response?.secrets[0]?.value).toBe('restricted-value-4');
    await h.secretStore.transaction(async (tx) => {
      await h.secretStore.removeMember(tx, restricted.id, 'alice');
      await h.stateSealer!.seal(tx, restricted.id);
    });
    expect((await resolve(['RESTRICTED'])).error?.code).toBe(status.PERMISSION_DENIED);

    await h.secretStore.transaction((tx) => h.secretStore.deleteSecret(tx, restricted.id));
    expect((await resolve(['RESTRICTED'])).error?.code).toBe(status.NOT_FOUND);
  });
});
