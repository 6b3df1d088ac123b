import { createResolverClient } from '../services/sdk/resolver-client.js';
import type { RunContext } from '../services/sdk/resolver-client-types.js';
import { loadOrCreateDevJwtKeys, signDevRunGrant } from '../services/core/auth/dev-jwt-keys.js';
import { DEV_RUN_GRANT_ISSUER } from '../services/core/config/config.js';
import { RUN_GRANT_AUDIENCE } from '../services/core/resolution/run-grant-verifier.js';
import { startFloor } from './floors/start-floor.js';
import { BENCH_RUNNER } from './support/pki.js';
import type { BenchChild } from './support/child-process.js';
import { mariadbPid, treeCpuSeconds } from './support/cpu-time.js';
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

/**
 * `strongroom` takes calls without a grant (development's optional mode);
 * `strongroom-granted` requires one and every call carries one (SPEC §6.1): each of
 * GRANTED_RUNS runs has its own grant, as a platform's concurrent runs would.
 */
const SERVERS = ['strongroom', 'strongroom-granted', 'bare-work', 'transport'] as const;
type Server = (typeof SERVERS)[number];
const GRANTED_RUNS = 64;

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
}): Promise<{
  figures: Figure[];
  raw: {
    load: Record<Server, Record<number, LoadResult>>;
    cpuMsPerCall: Record<Server, Record<number, CpuPerCall>>;
  };
}> {
  const secrets = await seedSecrets(db.pool, keys.cipher(), {
    tagState: await keys.stateTagger(db.pool),
    workspaceId: WORKSPACE,
    count: SECRETS,
    prefix: 'RESOLVE',
  });
  const names = secrets.map((s) => s.name);
  const base = strongroomEnv(db, keys, pki.env);
  const granted = strongroomEnv(db, keys, { ...pki.env, STRONGROOM_RUN_GRANTS: 'required' });
  const grants = await mintGrants(granted.dataDir, GRANTED_RUNS);
  const children: BenchChild[] = [];
  const clients: Array<ReturnType<typeof createResolverClient>> = [];
  try {
    // In turn, each child kept for the clean-up as soon as it runs.
    const started = {} as Record<Server, { pid: number; port: number }>;
    for (const server of SERVERS) {
      const { child, port } =
        server === 'strongroom'
          ? await startResolver(base)
          : server === 'strongroom-granted'
            ? await startResolver(granted)
            : await startGrpcFloor(FLOOR_SCRIPTS[server], base.env);
      children.push(child);
      started[server] = { pid: child.pid, port };
    }
    const mariadb = mariadbPid();
    const calls = {} as Record<Server, () => Promise<void>>;
    for (const server of SERVERS) {
      const client = createResolverClient({
        address: `127.0.0.1:${started[server].port}`,
        ca: pki.caPem,
        cert: pki.runner.certPem,
        key: pki.runner.keyPem,
        serverName: 'localhost',
      });
      clients.push(client);
      let call = 0;
      calls[server] = async () => {
        const picked = Array.from(
          { length: NAMES_PER_CALL },
          () => names[Math.floor(Math.random() * names.length)]!,
        );
        const grant = server === 'strongroom-granted' ? grants[(call += 1) % grants.length]! : undefined;
        const resolved = grant
          ? await client.resolve(grant.context, picked, { runGrant: grant.token })
          : await client.resolve(CONTEXT, picked);
        if (resolved.length === 0) throw new Error('empty answer');
      };
      // Warm-up: TLS, JIT, connection pools, prepared statements.
      await runClosedLoopSample(calls[server], { inFlight: 8, seconds: Math.min(2, seconds) });
    }
    const raw = Object.fromEntries(SERVERS.map((s) => [s, {}])) as Record<Server, Record<number, LoadResult>>;
    const cpu = Object.fromEntries(SERVERS.map((s) => [s, {}])) as Record<Server, Record<number, CpuPerCall>>;
    for (const inFlight of levels) {
      const samples = Object.fromEntries(SERVERS.map((s) => [s, [] as LoadSample[]])) as Record<
        Server,
        LoadSample[]
      >;
      const spent = Object.fromEntries(
        SERVERS.map((s) => [s, { server: 0, database: 0, client: 0 }]),
      ) as Record<Server, CpuSeconds>;
      for (let slice = 0; slice < Math.max(1, Math.round(seconds / SLICE_SECONDS)); slice += 1) {
        for (const server of SERVERS) {
          const before = cpuNow(started[server].pid, mariadb);
          samples[server].push(
            await runClosedLoopSample(calls[server], { inFlight, seconds: SLICE_SECONDS }),
          );
          addSpent(spent[server], before, cpuNow(started[server].pid, mariadb));
        }
      }
      for (const server of SERVERS) {
        raw[server][inFlight] = summarize(`${server} @${inFlight}`, samples[server]);
        const wallSeconds = samples[server].reduce((sum, sample) => sum + sample.seconds, 0);
        cpu[server][inFlight] = perCall(spent[server], raw[server][inFlight]!.calls, wallSeconds);
      }
      process.stderr.write(
        `bench: resolve @${inFlight} CPU ms per call (server / MariaDB / client; cores busy): ${SERVERS.map(
          (s) =>
            `${s} ${cpu[s][inFlight]!.server} / ${cpu[s][inFlight]!.database} / ${cpu[s][inFlight]!.client}; ${cpu[s][inFlight]!.coresBusy}`,
        ).join('; ')}\n`,
      );
    }
    return { figures: resolveFigures(raw, levels), raw: { load: raw, cpuMsPerCall: cpu } };
  } finally {
    for (const client of clients) client.close?.();
    for (const child of children) await child.stop();
  }
}

/** One grant per run, signed by the dev orchestrator key the granted resolver trusts. */
async function mintGrants(
  dataDir: string,
  runs: number,
): Promise<Array<{ token: string; context: RunContext }>> {
  const keys = await loadOrCreateDevJwtKeys(dataDir, () => {}, 'run-grant');
  return Promise.all(
    Array.from({ length: runs }, async (_, i) => {
      const context = { ...CONTEXT, runId: `run-bench-${i}` };
      const token = await signDevRunGrant(
        keys,
        {
          wid: context.workspaceId,
          wfid: context.workflowId,
          run: context.runId,
          trigger: context.trigger,
          triggered_by: context.triggeredBy,
          workflow_owner: context.workflowOwner,
          runner: BENCH_RUNNER,
        },
        { issuer: DEV_RUN_GRANT_ISSUER, audience: RUN_GRANT_AUDIENCE, expiresIn: '1h' },
      );
      return { token, context };
    }),
  );
}

const FLOOR_SCRIPTS = {
  'bare-work': 'bench/floors/bare-work-server.ts',
  transport: 'bench/floors/transport-server.ts',
} as const;

async function startGrpcFloor(script: string, env: Record<string, string>) {
  const { child, address } = await startFloor(script, env);
  return { child, port: Number(address) };
}

/** CPU seconds spent during a server's slices: by its process tree, by MariaDB, and by this (client) process. */
type CpuSeconds = { server: number; database: number; client: number };
/**
 * The same, in milliseconds per call: where each call's CPU went, on a machine whose
 * cores all three share; and how many cores the three kept busy together (CPU seconds
 * per wall second), which shows whether calls/s was bound by CPU or by waiting.
 */
type CpuPerCall = CpuSeconds & { coresBusy: number };

const cpuNow = (serverPid: number, mariadb: number | undefined): CpuSeconds => {
  const own = process.cpuUsage();
  return {
    server: treeCpuSeconds(serverPid),
    database: mariadb === undefined ? 0 : treeCpuSeconds(mariadb),
    client: (own.user + own.system) / 1e6,
  };
};
const addSpent = (into: CpuSeconds, before: CpuSeconds, after: CpuSeconds): void => {
  into.server += after.server - before.server;
  into.database += after.database - before.database;
  into.client += after.client - before.client;
};
const perCall = (spent: CpuSeconds, calls: number, wallSeconds: number): CpuPerCall => ({
  server: Number(((spent.server * 1000) / calls).toFixed(3)),
  database: Number(((spent.database * 1000) / calls).toFixed(3)),
  client: Number(((spent.client * 1000) / calls).toFixed(3)),
  coresBusy: Number(((spent.server + spent.database + spent.client) / wallSeconds).toFixed(2)),
});

function resolveFigures(raw: Record<Server, Record<number, LoadResult>>, levels: number[]): Figure[] {
  const figures: Figure[] = [];
  for (const n of levels) {
    const real = raw.strongroom[n]!;
    const bare = raw['bare-work'][n]!;
    const targeted = n === 32;
    /** Calls/s against one floor; at 32 in flight, judged against the issue's minimum ratio. */
    const throughputAgainst = (floor: 'bare-work' | 'transport', minRatio: number) =>
      figure(
        {
          figure: `resolve @${n} in flight`,
          unit: 'calls/s',
          value: real.callsPerSecond,
          floor: { name: floor, value: raw[floor][n]!.callsPerSecond },
          target: targeted ? `≥ ${minRatio}×` : undefined,
        },
        targeted ? ({ ratio }) => (ratio ?? 0) >= minRatio : undefined,
      );
    const granted = raw['strongroom-granted'][n]!;
    figures.push(
      throughputAgainst('bare-work', 1.5),
      figure(
        {
          figure: `resolve with a run grant @${n} in flight`,
          unit: 'calls/s',
          value: granted.callsPerSecond,
          floor: { name: 'bare-work', value: bare.callsPerSecond },
          target: targeted ? '≥ 1.5×' : undefined,
        },
        targeted ? ({ ratio }) => (ratio ?? 0) >= 1.5 : undefined,
      ),
      throughputAgainst('transport', 0.5),
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
