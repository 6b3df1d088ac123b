import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the `strongroom` CLI from the checkout (TypeScript through tsx's loader, no npx start-up). */
export function runCli(args: string[], env: Record<string, string | undefined>) {
  return run(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}
