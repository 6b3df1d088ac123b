import { ensureConsoleBuilt } from '../../../services/cli/console-build.js';

/**
 * Vitest global setup: the console's browser and serving tests run against the real
 * build in dist/console, made here once per run when the sources changed (a few
 * seconds), not per test file.
 */
export default async function buildConsole(): Promise<void> {
  await ensureConsoleBuilt({ say: (line) => console.log(line) });
}
