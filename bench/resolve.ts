import { createResolverClient } from '../services/sdk/resolver-client.js';
import type { RunContext } from '../services/sdk/resolver-client-types.js';
import { startFloor } from './floors/start-floor.js';
import type { BenchChild } from './support/child-process.js';
import { runClosedLoopSample, summarize, type LoadResult, type LoadSample } from './support/closed-loop.js';
import type { BenchDatabase } from './support/database.js';
import type { BenchKeys } from './support/keys.js';
import type { BenchPki } from './support/pki.js';
import { figure, type Figure } from './support/report.js';
import { seedSecrets } from './support/seed.js';
import { startResolver, strongroomEnv } from './support/strongroom.js';

const WORKSPACE = 'ws-resolve';
const SECRETS = 1_000;
const NAMES_PER_CALL = 5;
// Servers take turns in slices this long, so background load hits all three alike.
const SLICE_SECONDS = 1;

const SERVERS = ['strongroom', 'bare-work', 'transport'] as const;
type Server = (typeof SERVERS)[number];

const CONTEXT: RunContext = {
  workspaceId: WORKSPACE,
  workflowId: 'wf-bench',
  runId: 'run-bench',
  trigger: 'MANUAL',
  triggeredBy: 'bench-user',
  workflowOwner: 'bench-user',
  stepId: 'step-1',
};

/**
 * Resolve throughput and latency: 5 random names of 1,000 per call, closed loop at each
 * in-flight level over mTLS, against the real `strongroom resolver` and the two floors,
 * each in its own process and all called through the runner SDK's client. The three
 * take turns in one-second slices (round-robin, `seconds` slices each per level), so a
 * burst of load from elsewhere on the machine lands on all of them, not on one.
 */
export async function benchResolve({
  db,
  keys,
  pki,
  seconds,
  levels,
}: {
  db: BenchDatabase;
  keys: BenchKeys;
  pki: BenchPki;
  seconds: number;
  levels: number[];
}): Promise<{ figures: Figure[]; raw: Record<Server, Record<number, LoadResult>> }> {
  const secrets = await seedSecrets(db.pool, keys.cipher(), {
    workspaceId: WORKSPACE,
    count: SECRETS,
    prefix: 'RESOLVE',
  });
  const names = secrets.map((s) => s.name);
  const base = strongroomEnv(db, keys, pki.env);
  const children: BenchChild[] = [];
  const clients: Array<ReturnType<typeof createResolverClient>> = [];
  try {
    const ports: Record<Server, number> = {
      strongroom: await startResolver(base).then(({ child, port }) => (children.push(child), port)),
      'bare-work': await startGrpcFloor('bench/floors/bare-work-server.ts', base.env, children),
      transport: await startGrpcFloor('bench/floors/transport-server.ts', base.env, children),
    };
    const calls = {} as Record<Server, () => Promise<void>>;
    for (const server of SERVERS) {
      const client = createResolverClient({
        address: `127.0.0.1:${ports[server]}`,
        ca: pki.caPem,
        cert: pki.runner.certPem,
        key: pki.runner.keyPem,
        serverName: 'localhost',
      });
      clients.push(client);
      calls[server] = async () => {
        const picked = Array.from(
          { length: NAMES_PER_CALL },
          () => names[Math.floor(Math.random() * names.length)]!,
        );
        const resolved = await client.resolve(CONTEXT, picked);
        if (resolved.length === 0) throw new Error('empty answer');
      };
      // Warm-up: TLS, JIT, connection pools, prepared statements.
      await runClosedLoopSample(calls[server], { inFlight: 8, seconds: Math.min(2, seconds) });
    }
    const raw = Object.fromEntries(SERVERS.map((s) => [s, {}])) as Record<Server, Record<number, LoadResult>>;
    for (const inFlight of levels) {
      const samples = Object.fromEntries(SERVERS.map((s) => [s, [] as LoadSample[]])) as Record<
        Server,
        LoadSample[]
      >;
      for (let slice = 0; slice < Math.max(1, Math.round(seconds / SLICE_SECONDS)); slice += 1) {
        for (const server of SERVERS) {
          samples[server].push(
            await runClosedLoopSample(calls[server], { inFlight, seconds: SLICE_SECONDS }),
          );
        }
      }
      for (const server of SERVERS)
        raw[server][inFlight] = summarize(`${server} @${inFlight}`, samples[server]);
    }
    return { figures: resolveFigures(raw, levels), raw };
  } finally {
    for (const client of clients) client.close?.();
    for (const child of children) await child.stop();
  }
}

async function startGrpcFloor(script: string, env: Record<string, string>, children: BenchChild[]) {
  const { child, address } = await startFloor(script, env);
  children.push(child);
  return Number(address);
}

function resolveFigures(raw: Record<Server, Record<number, LoadResult>>, levels: number[]): Figure[] {
  const figures: Figure[] = [];
  for (const n of levels) {
    const real = raw.strongroom[n]!;
    const bare = raw['bare-work'][n]!;
    const transport = raw.transport[n]!;
    const targeted = n === 32;
    const perSecond = `resolve @${n} in flight`;
    figures.push(
      figure(
        {
          figure: perSecond,
          unit: 'calls/s',
          value: real.callsPerSecond,
          floor: { name: 'bare-work', value: bare.callsPerSecond },
          target: targeted ? '≥ 1.5×' : undefined,
        },
        targeted ? ({ ratio }) => (ratio ?? 0) >= 1.5 : undefined,
      ),
      figure(
        {
          figure: perSecond,
          unit: 'calls/s',
          value: real.callsPerSecond,
          floor: { name: 'transport', value: transport.callsPerSecond },
          target: targeted ? '≥ 0.5×' : undefined,
        },
        targeted ? ({ ratio }) => (ratio ?? 0) >= 0.5 : undefined,
      ),
      figure({
        figure: `resolve @${n} p50`,
        unit: 'ms',
        value: real.p50Ms,
        floor: { name: 'bare-work', value: bare.p50Ms },
      }),
      figure(
        {
          figure: `resolve @${n} p99`,
          unit: 'ms',
          value: real.p99Ms,
          floor: { name: 'bare-work', value: bare.p99Ms },
          target: targeted ? '≤ 1.0×' : undefined,
        },
        targeted ? ({ ratio }) => (ratio ?? Infinity) <= 1 : undefined,
      ),
    );
  }
  return figures;
}
