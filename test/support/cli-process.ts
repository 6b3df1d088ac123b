import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { httpGet } from './http-get.js';

/** Whether something may listen on `port` on every interface right now (it is released at once). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** The first port of the kernel's ephemeral range, or undefined when it cannot be read. */
function ephemeralRangeStart(): number | undefined {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : undefined;
  } catch {
    return undefined;
  }
}

const LOWEST_TEST_PORT = 10_000;

/**
 * A port nobody listens on right now, for a child process to listen on. It is taken
 * below the kernel's ephemeral range when that range is known: a port the OS hands out
 * for `listen(0)` comes from that range, and once released it can be taken as the
 * local port of any outgoing connection (every database client opens some) before the
 * child binds it, which failed runs with EADDRINUSE. Outside that range only another
 * caller of this function could pick the same port, at random, in the same instant.
 */
export async function freePort(): Promise<number> {
  const ephemeralStart = ephemeralRangeStart();
  if (ephemeralStart !== undefined && ephemeralStart > LOWEST_TEST_PORT + 1_000) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const candidate = LOWEST_TEST_PORT + Math.floor(Math.random() * (ephemeralStart - LOWEST_TEST_PORT));
      if (await canListen(candidate)) return candidate;
    }
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Retries `probe` every 100 ms until it resolves, or rethrows its last error after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A `strongroom` command running as its own OS process, its output collected. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far (the JSON log). */
  stderr(): string;
  /** The parsed JSON log lines written so far (non-JSON lines skipped). */
  logLines(): Array<Record<string, unknown>>;
  /** Resolves with the first log line that satisfies `match` (already written or still to come). */
  waitForLog(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves once the process has exited and its output is read whole. */
  exited: Promise<Exit>;
  /** SIGKILL if still running — no handler, no flush, no rollback by the process — then its exit. */
  kill(): Promise<Exit>;
  /** SIGTERM, then its exit; SIGKILL if it is still running after `graceMs`. */
  stop(graceMs?: number): Promise<Exit>;
}

/**
 * Spawns the real CLI from the checkout (`node --import tsx services/cli/main.ts …`),
 * configured only by `env` on top of a scrubbed copy of this process's environment.
 */
export function spawnCli(args: string[], env: Record<string, string | undefined>): CliProcess {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(base))
    if (name.startsWith('STRONGROOM_') || name === 'DATABASE_URL') delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', ...args], {
    env: { ...base, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const wake of waiters) wake();
  });
  // 'close', not 'exit': by then both streams are drained, so the output is complete.
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const logLines = () =>
    stderr.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logLines,
    waitForLog(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logLines().find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching log line within ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    exited,
    kill() {
      if (running()) child.kill('SIGKILL');
      return exited;
    },
    async stop(graceMs = 15_000) {
      if (running()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Waits until `GET /readyz` on `port` answers 200; fails at once, with the process's
 * stderr, if the process exits first.
 */
export async function untilReady(cli: CliProcess, port: number, timeoutMs: number): Promise<void> {
  let settled = false;
  const died = cli.exited.then(({ code, signal }) => {
    if (!settled) throw new Error(`exited (${code ?? signal}) before it was ready:\n${cli.stderr()}`);
  });
  const ready = waitFor(async () => {
    const { status } = await httpGet(port, '/readyz');
    if (status !== 200) throw new Error(`port ${port}: /readyz answered ${status}`);
  }, timeoutMs);
  try {
    await Promise.race([ready, died]);
  } finally {
    settled = true;
  }
}
