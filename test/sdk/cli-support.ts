import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: `--import tsx` resolves from the working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** tsx's loader and the CLI by absolute location, for runs from another working directory. */
const TSX_LOADER = import.meta.resolve('tsx');
const CLI_MAIN = fileURLToPath(new URL('../../services/cli/main.ts', import.meta.url));

/** How a CLI run ended and what it printed. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `strongroom exec ARGS` from source as a real process, with only the
 * environment given (plus PATH), so no config of the machine leaks in.
 * `onStdout` sees output as it arrives (to wait for a child to be ready); `cwd`
 * is the working directory of the CLI (and so of the command), default the repository.
 */
export function runExec(
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    onStdout?: (soFar: string, cli: ChildProcess) => void;
  } = {},
): Promise<CliResult> {
  const cli = spawn(process.execPath, ['--import', TSX_LOADER, CLI_MAIN, 'exec', ...args], {
    cwd: options.cwd ?? REPO_ROOT,
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
