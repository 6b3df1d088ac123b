import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout the console is built from (absent from an installed, compiled package). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONSOLE_SOURCE_DIR = join(ROOT, 'services', 'console');
export const CONSOLE_BUILD_DIR = join(ROOT, 'dist', 'console');
/** Written after a build: the hash of what it was built from. */
const STAMP = '.build-stamp';

/**
 * A hash of everything the build reads: the console's sources (tests left out) and
 * the lockfile (a new React or Vite is a new build). Content, not timestamps: a git
 * checkout resets times, and an unchanged tree must not rebuild.
 */
export function consoleSourceHash(sourceDir = CONSOLE_SOURCE_DIR): string {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !/\.test\.tsx?$/.test(entry.name)) files.push(path);
    }
  };
  walk(sourceDir);
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(relative(sourceDir, file).split(sep).join('/')).update('\0');
    hash.update(readFileSync(file)).update('\0');
  }
  const lockfile = join(sourceDir, '..', '..', 'package-lock.json');
  if (existsSync(lockfile)) hash.update(readFileSync(lockfile));
  return hash.digest('hex');
}

/** Whether dist/console holds a build of the current sources. */
export function isConsoleBuildFresh(sourceDir = CONSOLE_SOURCE_DIR, buildDir = CONSOLE_BUILD_DIR): boolean {
  const stamp = join(buildDir, STAMP);
  return (
    existsSync(join(buildDir, 'index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === consoleSourceHash(sourceDir)
  );
}

export type ConsoleBuildOutcome = 'fresh' | 'built' | 'unavailable';

/**
 * Builds the console with Vite when dist/console is missing or older than its sources
 * (`npm start`, the browser tests, the screenshot script). Without the sources or
 * Vite (an installed package) there is nothing to build: whatever build shipped is served.
 */
export async function ensureConsoleBuilt(
  options: { sourceDir?: string; buildDir?: string; say?: (line: string) => void } = {},
): Promise<ConsoleBuildOutcome> {
  const { sourceDir = CONSOLE_SOURCE_DIR, buildDir = CONSOLE_BUILD_DIR, say = () => {} } = options;
  if (!existsSync(join(sourceDir, 'index.html'))) return 'unavailable';
  if (isConsoleBuildFresh(sourceDir, buildDir)) return 'fresh';
  let viteBin: string;
  try {
    viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    return 'unavailable';
  }
  const hash = consoleSourceHash(sourceDir);
  say('Building the admin console (services/console → dist/console)…');
  await runNode(
    [viteBin, 'build', '--config', join(sourceDir, 'vite.config.ts'), '--outDir', buildDir, '--emptyOutDir'],
    dirname(dirname(sourceDir)),
  );
  writeFileSync(join(buildDir, STAMP), `${hash}\n`);
  return 'built';
}

/** Runs a Node script to its end; its output is shown only when it fails. */
function runNode(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // NODE_ENV decides which React Vite bundles: a `test` or `development` inherited from
    // the caller would ship React's development build (twice the size, slower).
    const env = { ...process.env, NODE_ENV: 'production' };
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`the console build failed (exit ${code}):\n${output}`)),
    );
  });
}
