import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../../support/cli-process.js';

/**
 * A MariaDB server of the test's own: its own data directory, port and socket, so a
 * test may stop and kill it at will. The shared server on 3306 is never touched.
 */
export interface PrivateMariaDb {
  port: number;
  /** mysql:// URL of `database` on this server (root, no password). */
  url(database: string): string;
  /** Starts the server on the same port and data directory; resolves once it answers a ping. */
  start(): Promise<void>;
  /**
   * Stops the server. `clean` is a SIGTERM (MariaDB closes connections and shuts down);
   * `kill` is a SIGKILL, as in a crash: sockets die mid-statement, InnoDB recovers at the next start.
   */
  stop(mode?: 'clean' | 'kill'): Promise<void>;
  /**
   * SIGSTOP: the server keeps its sockets but answers nothing, as behind a network
   * partition or a stalled disk. Resolves once every thread of the server is stopped,
   * so nothing sent afterwards can be answered. `thaw` (SIGCONT) lets it carry on.
   */
  freeze(): Promise<void>;
  thaw(): void;
  /** Runs a statement on this server over a short-lived connection (setup and inspection only). */
  query(sql: string, database?: string): Promise<unknown>;
  /** Kills the server and removes its data directory. */
  destroy(): Promise<void>;
}

// Small InnoDB files and buffers: start-up is a fraction of a second and the data dir ~80 MB.
const SERVER_OPTIONS = [
  '--skip-name-resolve',
  '--skip-log-bin',
  '--innodb-buffer-pool-size=16M',
  '--innodb-log-file-size=4M',
  '--innodb-data-file-path=ibdata1:4M:autoextend',
  '--innodb-flush-log-at-trx-commit=2',
  '--performance-schema=OFF',
];

const STARTUP_TIMEOUT_MS = 30_000;

/** Creates a data directory, picks a free port and starts the server on it. */
export async function createPrivateMariaDb(): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-private-mariadb-'));
  const dataDir = join(dir, 'data');
  const install = spawnSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...SERVER_OPTIONS,
    ],
    { encoding: 'utf8', timeout: STARTUP_TIMEOUT_MS },
  );
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr || install.stdout}`);
  }
  const port = await freePort();
  const errorLog = join(dir, 'error.log');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const adminUrl = (database = '') => `mysql://root@127.0.0.1:${port}/${database}`;

  async function start(): Promise<void> {
    if (child) throw new Error('the private MariaDB is already running');
    const started = spawn(
      'mariadbd',
      [
        '--no-defaults',
        '--user=root',
        `--datadir=${dataDir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mariadb.sock')}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        `--log-error=${errorLog}`,
        ...SERVER_OPTIONS,
      ],
      { stdio: 'ignore' },
    );
    child = started;
    let exitedEarly = false;
    exited = new Promise((resolve) =>
      started.once('exit', () => {
        exitedEarly = true;
        if (child === started) child = undefined;
        resolve();
      }),
    );
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      if (exitedEarly) throw new Error(`mariadbd exited at start-up:\n${tail(errorLog)}`);
      if (await answers()) return;
      if (Date.now() > deadline) throw new Error(`mariadbd did not answer in time:\n${tail(errorLog)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function answers(): Promise<boolean> {
    try {
      const conn = await createConnection({ uri: adminUrl(), connectTimeout: 1_000 });
      await conn.ping();
      await conn.end();
      return true;
    } catch {
      return false;
    }
  }

  async function stop(mode: 'clean' | 'kill' = 'clean'): Promise<void> {
    if (!child) return;
    child.kill(mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
    await exited;
  }

  function signal(name: NodeJS.Signals): void {
    if (!child) throw new Error('the private MariaDB is not running');
    child.kill(name);
  }

  // A test run that ends without `destroy` (a crash, an interrupted run) still stops its server.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  await start();
  return {
    port,
    url: (database) => adminUrl(database),
    start,
    stop,
    async freeze() {
      signal('SIGSTOP');
      // kill() only queues the signal; a thread busy on another core runs on briefly.
      const deadline = Date.now() + 5_000;
      while (!allThreadsStopped(child!.pid!)) {
        if (Date.now() > deadline) throw new Error('the private MariaDB did not stop');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    thaw: () => signal('SIGCONT'),
    async query(sql, database) {
      const conn = await createConnection({ uri: adminUrl(database), connectTimeout: 2_000 });
      try {
        const [rows] = await conn.query(sql);
        return rows;
      } finally {
        await conn.end();
      }
    },
    async destroy() {
      process.off('exit', killOnExit);
      if (child) child.kill('SIGCONT');
      await stop('kill');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no error log)';
  }
}

/** True when every thread of `pid` is stopped (state T in /proc). */
function allThreadsStopped(pid: number): boolean {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.every((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
  });
}
