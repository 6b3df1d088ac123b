import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';

/**
 * A Galera cluster of three MariaDB nodes on loopback, as an operator would run one:
 * the first node bootstraps (`--wsrep-new-cluster`), the others join by rsync SST, every
 * node runs as the `mysql` user from a data directory of its own under /tmp. Each test
 * file takes a `slot`, which fixes its ports, so files never meet on a port; only one
 * cluster runs at a time on the machine (a lock directory), since three nodes are what
 * two shared cores can carry. The shared MariaDB on 3306 is never touched.
 *
 * Ports of slot s, node i (0-based): SQL 3311 + 10s + i, group 4571 + 40s + i,
 * IST 4581 + 40s + i, SST (rsync) 4591 + 40s + i.
 */
export interface GaleraNode {
  /** 0-based. */
  index: number;
  name: string;
  port: number;
  /** mysql:// URL of `database` on this node (root, no password). */
  url(database?: string): string;
  running(): boolean;
}

export interface NodeStatus {
  state: string;
  clusterSize: number;
  ready: boolean;
  clusterStatus: string;
}

export interface GaleraCluster {
  nodes: GaleraNode[];
  /** `host:port,host:port,…` of every node, for a multi-host DATABASE_URL. */
  hostList(): string;
  /** Runs a statement on a node over a short-lived connection (setup and inspection). */
  query(node: number, sql: string, params?: unknown[]): Promise<unknown>;
  status(node: number): Promise<NodeStatus>;
  /** `kill -9` of a node's mariadbd; resolves once the others have evicted it (cluster size drops). */
  kill(node: number): Promise<void>;
  /** Starts a stopped node again: it rejoins (IST from the others' gcache), resolves once Synced. */
  restart(node: number): Promise<void>;
  /** Resolves once every running node is Synced in a primary component of `size` nodes. */
  waitForSize(size: number, timeoutMs?: number): Promise<void>;
  /** Stops every node (SIGKILL: its data is thrown away) and removes the data directories. */
  destroy(): Promise<void>;
}

const MARIADBD = '/usr/sbin/mariadbd';
const PROVIDER = '/usr/lib/galera/libgalera_smm.so';
const LOCK_DIR = '/tmp/strongroom-galera.lock';
const START_TIMEOUT_MS = 60_000;
const LOCK_TIMEOUT_MS = 10 * 60_000;

/** Throws, saying what to install, unless this machine can run the cluster (as .ci/run sets it up). */
function requireGalera(): void {
  const missing = [
    !existsSync(MARIADBD) && 'mariadb-server',
    !existsSync(PROVIDER) && 'galera-4',
    spawnSync('rsync', ['--version']).status !== 0 && 'rsync',
  ].filter(Boolean);
  if (missing.length > 0) throw new Error(`the cluster tests need: apt-get install ${missing.join(' ')}`);
  if (process.getuid?.() !== 0)
    throw new Error('the cluster tests start mariadbd as the mysql user, so run as root');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Clusters this process runs: it holds the lock while any does (the bench runs two at once). */
let heldByThisProcess = 0;

/** Takes the machine-wide cluster lock: a directory holding the owner's pid (a dead owner's is taken over). */
async function takeLock(): Promise<() => void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  const release = () => {
    heldByThisProcess -= 1;
    if (heldByThisProcess === 0 && readPid(join(LOCK_DIR, 'pid')) === process.pid) {
      rmSync(LOCK_DIR, { recursive: true, force: true });
    }
  };
  for (;;) {
    if (heldByThisProcess > 0) {
      heldByThisProcess += 1;
      return release;
    }
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      heldByThisProcess = 1;
      return release;
    } catch {
      const owner = readPid(join(LOCK_DIR, 'pid'));
      if (owner !== undefined && !alive(owner)) rmSync(LOCK_DIR, { recursive: true, force: true });
      else if (owner === undefined) {
        // Being written right now, or left half-made: give the writer a moment, then take it.
        await sleep(500);
        if (readPid(join(LOCK_DIR, 'pid')) === undefined) rmSync(LOCK_DIR, { recursive: true, force: true });
      }
      if (Date.now() > deadline) throw new Error(`the Galera cluster lock ${LOCK_DIR} stayed taken`);
      await sleep(250);
    }
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The mysqld section of one node's option file. */
function nodeOptions(o: {
  dir: string;
  name: string;
  port: number;
  groupPort: number;
  istPort: number;
  sstPort: number;
  cluster: string;
  members: string;
  replicated: boolean;
}): string {
  // Galera's own failure detection (evs.suspect_timeout 5 s, inactive 15 s): shorter
  // timeouts made nodes on two busy cores suspect each other while one rejoined, and the
  // survivors left the primary component for seconds. Commits on the survivors wait up to
  // the suspect timeout after a kill, so the services' statement timeout is set above it
  // (cluster-services.ts), as docs/operations.md tells operators to.
  const provider = [
    `gmcast.listen_addr=tcp://127.0.0.1:${o.groupPort}`,
    `ist.recv_addr=127.0.0.1:${o.istPort}`,
    'gcache.size=32M',
  ].join(';');
  const galera = `wsrep_on=ON
wsrep_provider=${PROVIDER}
wsrep_cluster_name=${o.cluster}
wsrep_cluster_address=gcomm://${o.members}
wsrep_node_name=${o.name}
wsrep_node_address=127.0.0.1:${o.groupPort}
wsrep_node_incoming_address=127.0.0.1:${o.port}
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:${o.sstPort}
wsrep_provider_options="${provider}"
wsrep_slave_threads=2
`;
  return `[mysqld]
datadir=${o.dir}/data
port=${o.port}
bind-address=127.0.0.1
socket=${o.dir}/mariadb.sock
pid-file=${o.dir}/mariadb.pid
log-error=${o.dir}/error.log
user=mysql
innodb_buffer_pool_size=32M
innodb_log_file_size=8M
innodb_autoinc_lock_mode=2
innodb_flush_log_at_trx_commit=2
binlog_format=ROW
default_storage_engine=InnoDB
performance_schema=OFF
max_connections=300
${o.replicated ? galera : '# Not replicated: the same server with wsrep off, for comparisons.\nwsrep_on=OFF\n'}`;
}

/** Kills whatever a previous, aborted run of this slot left running, by the pid files it wrote. */
function killLeftovers(base: string, nodes: number): void {
  for (let i = 0; i < nodes; i++) {
    const pid = readPid(join(base, `node${i + 1}`, 'mariadb.pid'));
    if (pid === undefined || !alive(pid)) continue;
    const cmdline = readFileSafe(`/proc/${pid}/cmdline`);
    if (cmdline.includes('mariadbd') && cmdline.includes(base)) process.kill(pid, 'SIGKILL');
  }
}

const readFileSafe = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

function tail(path: string, lines = 25): string {
  return readFileSafe(path).split('\n').slice(-lines).join('\n');
}

/**
 * Starts a three-node cluster in `slot` (0–3); see GaleraCluster. With `replicated:
 * false`, the same servers with wsrep off (for comparisons: one such node is "one node").
 */
export async function startGaleraCluster({
  slot = 0,
  size = 3,
  replicated = true,
}: { slot?: number; size?: number; replicated?: boolean } = {}) {
  requireGalera();
  const release = await takeLock();
  const base = `/tmp/strongroom-galera-${slot}`;
  const ports = Array.from({ length: size }, (_, i) => ({
    port: 3311 + 10 * slot + i,
    groupPort: 4571 + 40 * slot + i,
    istPort: 4581 + 40 * slot + i,
    sstPort: 4591 + 40 * slot + i,
  }));
  const members = ports.map((p) => `127.0.0.1:${p.groupPort}`).join(',');
  const children: Array<ChildProcess | undefined> = [];
  const exitHook = () => children.forEach((c) => c?.pid && alive(c.pid) && process.kill(c.pid, 'SIGKILL'));
  process.once('exit', exitHook);

  killLeftovers(base, size);
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const ids = spawnSync('id', ['-u', 'mysql'], { encoding: 'utf8' });
  const gids = spawnSync('id', ['-g', 'mysql'], { encoding: 'utf8' });
  const [uid, gid] = [Number(ids.stdout.trim()), Number(gids.stdout.trim())];
  chownSync(base, uid, gid);

  const dirs = ports.map((_, i) => join(base, `node${i + 1}`));
  dirs.forEach((dir, i) => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'data'), uid, gid);
    writeFileSync(
      join(dir, 'my.cnf'),
      nodeOptions({
        dir,
        name: `node${i + 1}`,
        ...ports[i]!,
        cluster: `strongroom-${slot}`,
        members,
        replicated,
      }),
    );
  });

  const url = (i: number, database = '') => `mysql://root@127.0.0.1:${ports[i]!.port}/${database}`;

  async function connect(i: number): Promise<Connection> {
    return createConnection({ uri: url(i), connectTimeout: 2_000 });
  }

  async function queryNode(i: number, sql: string, params?: unknown[]): Promise<unknown> {
    const conn = await connect(i);
    try {
      const [rows] = await conn.query(sql, params);
      return rows;
    } finally {
      await conn.end().catch(() => {});
    }
  }

  async function status(i: number): Promise<NodeStatus> {
    const conn = await connect(i);
    try {
      const [rows] = (await conn.query(
        `SHOW GLOBAL STATUS WHERE Variable_name IN
          ('wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_ready', 'wsrep_cluster_status')`,
      )) as unknown as [Array<{ Variable_name: string; Value: string }>];
      const v = Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]));
      return {
        state: v.wsrep_local_state_comment ?? '',
        clusterSize: Number(v.wsrep_cluster_size ?? 0),
        ready: v.wsrep_ready === 'ON',
        clusterStatus: v.wsrep_cluster_status ?? '',
      };
    } finally {
      await conn.end().catch(() => {});
    }
  }

  async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, log?: string) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline)
        throw new Error(`Galera: ${what} did not happen in time${log ? `:\n${tail(log)}` : ''}`);
      await sleep(100);
    }
  }

  async function startNode(i: number, bootstrap: boolean): Promise<void> {
    const dir = dirs[i]!;
    const args = [`--defaults-file=${join(dir, 'my.cnf')}`, ...(bootstrap ? ['--wsrep-new-cluster'] : [])];
    const child = spawn(MARIADBD, args, { stdio: 'ignore' });
    children[i] = child;
    let exited = false;
    child.once('exit', () => {
      exited = true;
      if (children[i] === child) children[i] = undefined;
    });
    await waitUntil(
      `node${i + 1} Synced`,
      async () => {
        if (exited) throw new Error('exited');
        if (!replicated) return (await queryNode(i, 'SELECT 1')) !== undefined;
        const s = await status(i);
        return s.state === 'Synced' && s.ready && s.clusterStatus === 'Primary';
      },
      START_TIMEOUT_MS,
      join(dir, 'error.log'),
    ).catch((error: Error) => {
      if (exited) throw new Error(`node${i + 1} exited at start-up:\n${tail(join(dir, 'error.log'))}`);
      throw error;
    });
  }

  async function waitForSize(n: number, timeoutMs = 30_000): Promise<void> {
    if (!replicated) return;
    await waitUntil(
      `a primary component of ${n}`,
      async () => {
        for (let i = 0; i < size; i++) {
          if (!children[i]) continue;
          const s = await status(i);
          if (s.clusterSize !== n || s.state !== 'Synced' || s.clusterStatus !== 'Primary') return false;
        }
        return true;
      },
      timeoutMs,
    );
  }

  async function destroy(): Promise<void> {
    const exits = children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    );
    await Promise.all(exits);
    process.removeListener('exit', exitHook);
    rmSync(base, { recursive: true, force: true });
    release();
  }

  try {
    // Replicated, the first node's data reaches the others by SST; unreplicated, each needs its own.
    for (const dir of replicated ? dirs.slice(0, 1) : dirs) installDataDir(dir);
    // One joiner at a time: rsync SST has one donor serve one joiner.
    for (let i = 0; i < size; i++) await startNode(i, replicated && i === 0);
    await waitForSize(size);
  } catch (error) {
    await destroy();
    throw error;
  }

  function installDataDir(dir: string): void {
    const install = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        '--user=mysql',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--innodb-log-file-size=8M',
        '--innodb-buffer-pool-size=32M',
      ],
      { encoding: 'utf8', timeout: START_TIMEOUT_MS },
    );
    if (install.status !== 0)
      throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  }

  const cluster: GaleraCluster = {
    nodes: ports.map((p, i) => ({
      index: i,
      name: `node${i + 1}`,
      port: p.port,
      url: (database?: string) => url(i, database),
      running: () => children[i] !== undefined,
    })),
    hostList: () => ports.map((p) => `127.0.0.1:${p.port}`).join(','),
    query: queryNode,
    status,
    async kill(i) {
      const child = children[i];
      if (!child) throw new Error(`node${i + 1} is not running`);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
      await waitForSize(children.filter(Boolean).length);
    },
    async restart(i) {
      if (children[i]) throw new Error(`node${i + 1} is running`);
      await startNode(i, false);
    },
    waitForSize,
    destroy,
  };
  return cluster;
}
