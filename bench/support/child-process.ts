import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A TypeScript entry point running in its own Node process, with its memory watched. */
export interface BenchChild {
  pid: number;
  /** The first stdout line matching `readyLine`, once seen. */
  ready: Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  /** The highest resident set size (VmHWM) seen so far, in MiB. */
  peakRssMb(): number;
  stdout(): string;
  stderr(): string;
  /** Ends the process (SIGTERM, then SIGKILL after 15 s) and removes its output files. */
  stop(): Promise<void>;
}

/** Kernel's high-water mark of the process's resident memory, in MiB (0 once it is gone). */
function readVmHwmMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Starts `node --import tsx <script> ...args` from the repository root. Its output
 * goes to files, as to a log collector, so a server logging every call costs the
 * bench process nothing. VmHWM is sampled every 20 ms (it only rises), so the peak
 * is known even after the process exits, when /proc no longer has it.
 */
export function startChild(
  script: string,
  args: string[],
  { env = {}, readyLine = /^ready\b/m }: { env?: Record<string, string>; readyLine?: RegExp } = {},
): BenchChild {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-bench-'));
  const outPath = join(dir, 'stdout.log');
  const errPath = join(dir, 'stderr.log');
  const outFd = openSync(outPath, 'w');
  const errFd = openSync(errPath, 'w');
  // BENCH_CPU_PROF_DIR=/some/dir writes a V8 CPU profile of every child (to find where time goes).
  const profile = process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', outFd, errFd],
  });
  closeSync(outFd);
  closeSync(errFd);
  const pid = child.pid!;
  const read = (path: string) => readFileSync(path, 'utf8');
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, readVmHwmMb(pid))), 20);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      clearInterval(sampler);
      resolve(code);
    }),
  );
  const ready = new Promise<RegExpMatchArray>((resolve, reject) => {
    const poll = setInterval(() => {
      const match = readyLine.exec(read(outPath));
      if (match) {
        clearInterval(poll);
        resolve(match);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`${script} exited ${code} before ready: ${read(errPath).slice(-2000)}`));
    });
  });
  ready.catch(() => undefined);
  return {
    pid,
    ready,
    exited,
    peakRssMb: () => Math.max(peak, readVmHwmMb(pid)),
    stdout: () => read(outPath),
    stderr: () => read(errPath),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a child to completion; rejects on a non-zero exit. */
export async function runChild(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ seconds: number; peakRssMb: number; stdout: string; stderr: string }> {
  const started = performance.now();
  const child = startChild(script, args, { env });
  const code = await child.exited;
  const seconds = (performance.now() - started) / 1000;
  const result = { seconds, peakRssMb: child.peakRssMb(), stdout: child.stdout(), stderr: child.stderr() };
  await child.stop();
  if (code !== 0)
    throw new Error(`${script} ${args.join(' ')} exited ${code}: ${result.stderr.slice(-2000)}`);
  return result;
}
