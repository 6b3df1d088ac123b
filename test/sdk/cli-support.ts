import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: `--import tsx` resolves from the working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a CLI run ended and what it printed. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `strongroom exec ARGS` from source as a real process, with only the
 * environment given (plus PATH), so no config of the machine leaks in.
 * `onStdout` sees output as it arrives (to wait for a child to be ready).
 */
export function runExec(
  args: readonly string[],
  options: { env?: Record<string, string>; onStdout?: (soFar: string, cli: ChildProcess) => void } = {},
): Promise<CliResult> {
  const cli = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'exec', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', STRONGROOM_LOG_LEVEL: 'silent', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  cli.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    options.onStdout?.(stdout, cli);
  });
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    cli.once('error', reject);
    cli.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `node -e SCRIPT ARGS`: a child command that behaves the same on every machine. */
export const nodeScript = (script: string, ...args: string[]): string[] => [
  '--',
  process.execPath,
  '-e',
  script,
  ...args,
];
