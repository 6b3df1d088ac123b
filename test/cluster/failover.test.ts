import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutageServices } from '../faults/support/outage-services.js';
import { spawnCli, waitFor } from '../support/cli-process.js';
import { startGaleraCluster, type GaleraCluster } from './support/galera-cluster.js';
import {
  causalQuery,
  createClusterServices,
  createSecret,
  rotate,
  runContext,
  DATABASE,
} from './support/cluster-services.js';

const WORKSPACE = 'ws-failover';
const CALLERS_PER_RESOLVER = 4;

interface Tally {
  ok: string[];
  failed: Array<{ at: number; code: number | undefined; details?: string }>;
}

/**
 * A node of the cluster is killed (`kill -9`) under a steady resolve load and a write
 * load, then brought back. Resolvers on the surviving nodes fail no call (their commits
 * wait for the cluster to evict the dead node, then carry on); the resolver whose node
 * died reconnects to the next host of its DATABASE_URL list without a restart, and its
 * readiness says so, while one given only that node is unready until the node returns.
 * Every resolve answered OK has its audit record on every node afterwards, and
 * `strongroom audit verify` accepts the log against its signed checkpoints.
 */
describe('failover on a three-node Galera cluster', () => {
  let cluster: GaleraCluster;
  let services: Awaited<ReturnType<typeof createClusterServices>>;
  let one: OutageServices;
  let two: OutageServices;
  let three: OutageServices;
  let twoOnly: OutageServices;

  beforeAll(async () => {
    cluster = await startGaleraCluster({ slot: 3 });
    services = await createClusterServices(cluster);
    one = await services.on(0);
    two = await services.on([1, 0, 2]);
    three = await services.on([2, 0, 1]);
    twoOnly = await services.on(1);
  }, 240_000);

  afterAll(async () => {
    await services?.close();
    await cluster?.destroy();
  }, 60_000);

  it('kill -9 of node 2 under load: 0 failed resolves on the survivors, node 2’s resolver fails over, no audit record lost', async () => {
    const bearer = await one.token('alice', WORKSPACE);
    const id = await createSecret(one, bearer, 'FAILOVER_KEY', 'w0');
    let stopped = false;
    /** When node 2 was killed; failures are kept as milliseconds after it. */
    let killedAt = 0;
    let callNo = 0;
    const tallies = new Map<OutageServices, Tally>([one, two, three].map((s) => [s, { ok: [], failed: [] }]));
    const caller = async (s: OutageServices) => {
      const tally = tallies.get(s)!;
      while (!stopped) {
        const runId = `run-${callNo++}`;
        const result = await s.runner.resolve(
          { context: runContext(WORKSPACE, runId), names: ['FAILOVER_KEY'] },
          { deadlineMs: 20_000 },
        );
        if (result.error)
          tally.failed.push({
            at: Date.now() - killedAt,
            code: result.error.code,
            details: result.error.details,
          });
        else tally.ok.push(runId);
      }
    };
    const rotations: string[] = [];
    const writer = async () => {
      for (let i = 1; !stopped; i++) {
        const result = await rotate(one, bearer, id, `w${i}`);
        rotations.push(result.outcome);
      }
    };
    const load = [
      ...[one, two, three].flatMap((s) => Array.from({ length: CALLERS_PER_RESOLVER }, () => caller(s))),
      writer(),
    ];
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      await sleep(1_500);
      killedAt = Date.now();
      await cluster.kill(1);
      // Node 2's resolver is ready again through node 1 or 3; the one given only node 2 is not.
      await waitFor(async () => expect((await two.probes('/readyz')).resolverOps).toBe(200), 10_000);
      expect(await twoOnly.probes('/readyz')).toEqual({ api: 503, resolverOps: 503 });
      await sleep(1_500);
      await cluster.restart(1);
      await waitFor(
        async () => expect(await twoOnly.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 }),
        15_000,
      );
      await sleep(1_000);
    } finally {
      stopped = true;
      await Promise.all(load);
    }

    expect(tallies.get(one)!.failed).toEqual([]);
    expect(tallies.get(three)!.failed).toEqual([]);
    expect(rotations.filter((o) => o !== 'OK')).toEqual([]);
    // Node 2's resolver lost only the calls in flight on the killed node's connections,
    // within moments of the kill, and served after it.
    const twoTally = tallies.get(two)!;
    expect(twoTally.failed.length).toBeLessThanOrEqual(2 * CALLERS_PER_RESOLVER);
    for (const failure of twoTally.failed) expect(failure.at).toBeLessThan(5_000);
    const resolved = await two.runner.resolve({
      context: runContext(WORKSPACE, 'after'),
      names: ['FAILOVER_KEY'],
    });
    expect(resolved.error).toBeUndefined();

    // Every resolve answered OK has its record, on the node that was killed too.
    const okRuns = [...tallies.values()].flatMap((t) => t.ok);
    expect(okRuns.length).toBeGreaterThan(100);
    const audited = await causalQuery<{ run_id: string }>(
      cluster,
      1,
      `SELECT run_id FROM ${DATABASE}.audit_events
        WHERE workspace_id = '${WORKSPACE}' AND action = 'secret.resolve' AND outcome = 'SUCCESS'`,
    );
    const auditedRuns = new Set(audited.map((r) => r.run_id));
    expect(okRuns.filter((run) => !auditedRuns.has(run))).toEqual([]);
    // And every rotation answered OK, its version and its record.
    const rotated = await causalQuery<{ version: number }>(
      cluster,
      1,
      `SELECT version FROM ${DATABASE}.audit_events
        WHERE secret_id = '${id}' AND action = 'secret.update_value' AND outcome = 'SUCCESS' ORDER BY version`,
    );
    expect(rotated.map((r) => Number(r.version))).toEqual(rotations.map((_, i) => i + 2));

    // The log, signed by a checkpoint written after the kill, verifies with the CLI.
    await one.runtime.checkpoints.write('command');
    const verify = spawnCli(['audit', 'verify'], {
      STRONGROOM_DATA_DIR: one.dataDir,
      DATABASE_URL: `mysql://root@${cluster.hostList()}/${DATABASE}`,
      STRONGROOM_LOG_LEVEL: 'silent',
    });
    const exit = await verify.exited;
    expect({ code: exit.code, out: verify.stdout() }).toMatchObject({ code: 0 });
  }, 180_000);

  it('a node cut off from the others (non-Primary, still accepting connections): its resolver moves on, readiness follows', async () => {
    const bearer = await one.token('alice', WORKSPACE);
    await createSecret(one, bearer, 'ISOLATED_KEY', 'i0');
    let stopped = false;
    const failures = new Map<OutageServices, number>([one, two, three].map((s) => [s, 0]));
    const successesAfter = new Map<OutageServices, number>([one, two, three].map((s) => [s, 0]));
    let phase: 'before' | 'isolated' = 'before';
    const caller = async (s: OutageServices) => {
      for (let i = 0; !stopped; i++) {
        const result = await s.runner.resolve(
          { context: runContext(WORKSPACE, `iso-${i}`), names: ['ISOLATED_KEY'] },
          { deadlineMs: 20_000 },
        );
        if (result.error) failures.set(s, failures.get(s)! + 1);
        else if (phase === 'isolated') successesAfter.set(s, successesAfter.get(s)! + 1);
      }
    };
    const load = [one, two, three].flatMap((s) => [caller(s), caller(s)]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await cluster.query(1, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
      phase = 'isolated';
      await waitFor(async () => expect((await cluster.status(1)).ready).toBe(false), 15_000);
      await waitFor(
        async () => expect(await twoOnly.probes('/readyz')).toEqual({ api: 503, resolverOps: 503 }),
        10_000,
      );
      await waitFor(async () => {
        expect((await two.probes('/readyz')).resolverOps).toBe(200);
        expect(successesAfter.get(two)).toBeGreaterThan(20);
      }, 20_000);
    } finally {
      await cluster.query(1, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'").catch(() => {});
      stopped = true;
      await Promise.all(load);
    }
    await cluster.waitForSize(3, 30_000);
    await waitFor(
      async () => expect(await twoOnly.probes('/readyz')).toEqual({ api: 200, resolverOps: 200 }),
      15_000,
    );
    expect(failures.get(one)).toBe(0);
    expect(failures.get(three)).toBe(0);
  }, 120_000);
});
