import { createPool } from 'mysql2/promise';
import { createResolverClient } from '../services/sdk/resolver-client.js';
import type { RunContext } from '../services/sdk/resolver-client-types.js';
import { startGaleraCluster, type GaleraCluster } from '../test/cluster/support/galera-cluster.js';
import type { BenchChild } from './support/child-process.js';
import { runClosedLoopSample, summarize, type LoadResult, type LoadSample } from './support/closed-loop.js';
import { createBenchDatabase, type BenchDatabase } from './support/database.js';
import type { BenchKeys } from './support/keys.js';
import type { BenchPki } from './support/pki.js';
import { figure, type Figure } from './support/report.js';
import { seedSecrets } from './support/seed.js';
import { quantile } from './support/stats.js';
import { startResolver, strongroomEnv } from './support/strongroom.js';

const WORKSPACE = 'ws-galera';
const SECRETS = 1_000;
const NAMES_PER_CALL = 5;
const IN_FLIGHT = 32;
const SLICE_SECONDS = 1;
/** Sequential single-row commits timed on each setup for the replication cost. */
const COMMITS = 400;

const CONTEXT: RunContext = {
  workspaceId: WORKSPACE,
  workflowId: 'wf-bench',
  runId: 'run-bench',
  trigger: 'MANUAL',
  triggeredBy: 'bench-user',
  workflowOwner: 'bench-user',
  stepId: 'step-1',
};

type Setup = 'cluster' | 'one-node';

/**
 * Resolve on a Galera cluster against the same on one server (issue 25): two
 * `strongroom resolver` processes, 32 calls in flight between them (5 random names of
 * 1,000 per call, as the resolve step), first on a three-node cluster with one resolver
 * on node 2 and one on node 3 (each DATABASE_URL a host list starting at its node),
 * then on one node of the same build and options with wsrep off. The two take turns in
 * one-second slices. The cost of replication per commit is timed apart: one connection
 * committing single-row INSERTs in turn on a cluster node and on the lone node, and the
 * write sets the resolve slices replicated (count, bytes).
 */
export async function benchGalera({
  keys,
  pki,
  seconds,
}: {
  keys: BenchKeys;
  pki: BenchPki;
  seconds: number;
}): Promise<{ figures: Figure[]; raw: unknown }> {
  const clusters: GaleraCluster[] = [];
  const children: BenchChild[] = [];
  const clients: Array<ReturnType<typeof createResolverClient>> = [];
  const databases: BenchDatabase[] = [];
  try {
    const cluster = await startGaleraCluster({ slot: 0 });
    clusters.push(cluster);
    const lone = await startGaleraCluster({ slot: 1, size: 1, replicated: false });
    clusters.push(lone);
    const dbs = {
      cluster: await createBenchDatabase('strongroom_bench', cluster.nodes[0]!.url('mysql')),
      'one-node': await createBenchDatabase('strongroom_bench', lone.nodes[0]!.url('mysql')),
    } satisfies Record<Setup, BenchDatabase>;
    databases.push(dbs.cluster, dbs['one-node']);

    const names: string[] = [];
    for (const db of Object.values(dbs)) {
      const seeded = await seedSecrets(db.pool, keys.cipher(), {
        tagState: await keys.stateTagger(db.pool),
        workspaceId: WORKSPACE,
        count: SECRETS,
        prefix: 'GALERA',
      });
      if (names.length === 0) names.push(...seeded.map((s) => s.name));
    }

    const ports = cluster.nodes.map((n) => n.port);
    const listFrom = (first: number) =>
      `mysql://root@${[first, ...[0, 1, 2].filter((i) => i !== first)]
        .map((i) => `127.0.0.1:${ports[i]}`)
        .join(',')}/strongroom_bench`;
    const urls: Record<Setup, string[]> = {
      cluster: [listFrom(1), listFrom(2)],
      'one-node': [dbs['one-node'].url, dbs['one-node'].url],
    };
    const calls = {} as Record<Setup, () => Promise<void>>;
    for (const setup of ['cluster', 'one-node'] as const) {
      const resolverClients: Array<ReturnType<typeof createResolverClient>> = [];
      for (const url of urls[setup]) {
        const base = strongroomEnv(dbs[setup], keys, { ...pki.env, DATABASE_URL: url });
        const { child, port } = await startResolver(base);
        children.push(child);
        const client = createResolverClient({
          address: `127.0.0.1:${port}`,
          ca: pki.caPem,
          cert: pki.runner.certPem,
          key: pki.runner.keyPem,
          serverName: 'localhost',
        });
        clients.push(client);
        resolverClients.push(client);
      }
      let turn = 0;
      calls[setup] = async () => {
        const picked = Array.from(
          { length: NAMES_PER_CALL },
          () => names[Math.floor(Math.random() * names.length)]!,
        );
        const client = resolverClients[(turn += 1) % resolverClients.length]!;
        const resolved = await client.resolve(CONTEXT, picked);
        if (resolved.length === 0) throw new Error('empty answer');
      };
      await runClosedLoopSample(calls[setup], { inFlight: 8, seconds: Math.min(2, seconds) });
    }

    const samples: Record<Setup, LoadSample[]> = { cluster: [], 'one-node': [] };
    const replicated = { writeSets: 0, bytes: 0 };
    for (let slice = 0; slice < Math.max(1, Math.round(seconds / SLICE_SECONDS)); slice += 1) {
      for (const setup of ['cluster', 'one-node'] as const) {
        const before = setup === 'cluster' ? await replicationCounters(cluster) : undefined;
        samples[setup].push(
          await runClosedLoopSample(calls[setup], { inFlight: IN_FLIGHT, seconds: SLICE_SECONDS }),
        );
        if (before) {
          const after = await replicationCounters(cluster);
          replicated.writeSets += after.writeSets - before.writeSets;
          replicated.bytes += after.bytes - before.bytes;
        }
      }
    }
    const load = {
      cluster: summarize(`galera cluster @${IN_FLIGHT}`, samples.cluster),
      'one-node': summarize(`one node @${IN_FLIGHT}`, samples['one-node']),
    } satisfies Record<Setup, LoadResult>;

    const commit = {
      cluster: await commitLatency(dbs.cluster.url),
      'one-node': await commitLatency(dbs['one-node'].url),
    };
    const commitsPerCall = replicated.writeSets / load.cluster.calls;
    const bytesPerWriteSet = replicated.writeSets > 0 ? replicated.bytes / replicated.writeSets : 0;
    process.stderr.write(
      `bench: galera @${IN_FLIGHT}: cluster ${load.cluster.callsPerSecond.toFixed(0)} calls/s (p50 ${load.cluster.p50Ms.toFixed(1)} ms, p99 ${load.cluster.p99Ms.toFixed(1)} ms), ` +
        `one node ${load['one-node'].callsPerSecond.toFixed(0)} calls/s (p50 ${load['one-node'].p50Ms.toFixed(1)} ms, p99 ${load['one-node'].p99Ms.toFixed(1)} ms); ` +
        `${replicated.writeSets} write sets replicated (${commitsPerCall.toFixed(3)} per call, ${bytesPerWriteSet.toFixed(0)} B each); ` +
        `commit p50 ${commit.cluster.p50Ms.toFixed(3)} ms on a node vs ${commit['one-node'].p50Ms.toFixed(3)} ms alone\n`,
    );
    const figures: Figure[] = [
      figure({
        figure: `galera: resolve @${IN_FLIGHT}, 2 resolvers on nodes 2 and 3 of 3`,
        unit: 'calls/s',
        value: load.cluster.callsPerSecond,
        floor: { name: 'the same on one node', value: load['one-node'].callsPerSecond },
        note: `p99 ${load.cluster.p99Ms.toFixed(1)} ms vs ${load['one-node'].p99Ms.toFixed(1)} ms`,
      }),
      figure({
        figure: 'galera: commit of one row (1 in flight)',
        unit: 'ms',
        value: commit.cluster.p50Ms,
        floor: { name: 'the same on one node', value: commit['one-node'].p50Ms },
        note: `replication adds ${(commit.cluster.p50Ms - commit['one-node'].p50Ms).toFixed(3)} ms per commit (p50)`,
      }),
      figure({
        figure: 'galera: write sets replicated per resolve call',
        unit: 'per call',
        value: commitsPerCall,
        note: `${bytesPerWriteSet.toFixed(0)} B per write set (audit batches)`,
      }),
    ];
    return { figures, raw: { load, commit, replicated, commitsPerCall, bytesPerWriteSet } };
  } finally {
    for (const client of clients) client.close?.();
    for (const child of children) await child.stop();
    for (const db of databases) await db.pool.end().catch(() => {});
    for (const cluster of clusters) await cluster.destroy();
  }
}

/** Write sets (and their bytes) the cluster's nodes replicated so far, summed. */
async function replicationCounters(cluster: GaleraCluster): Promise<{ writeSets: number; bytes: number }> {
  let writeSets = 0;
  let bytes = 0;
  for (const node of cluster.nodes) {
    const rows = (await cluster.query(
      node.index,
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_replicated', 'wsrep_replicated_bytes')",
    )) as Array<{ Variable_name: string; Value: string }>;
    for (const row of rows) {
      if (row.Variable_name === 'wsrep_replicated') writeSets += Number(row.Value);
      else bytes += Number(row.Value);
    }
  }
  return { writeSets, bytes };
}

/** Median and p99 of COMMITS single-row autocommit INSERTs, one after another, on one connection. */
async function commitLatency(url: string): Promise<{ p50Ms: number; p99Ms: number }> {
  const pool = createPool({ uri: url, connectionLimit: 1 });
  try {
    await pool.query(
      'CREATE TABLE IF NOT EXISTS bench_commits (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64))',
    );
    const times: number[] = [];
    for (let i = 0; i < COMMITS; i++) {
      const started = performance.now();
      await pool.query('INSERT INTO bench_commits (v) VALUES (?)', [`commit-${i}`]);
      times.push(performance.now() - started);
    }
    await pool.query('DROP TABLE bench_commits');
    return { p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99) };
  } finally {
    await pool.end();
  }
}
