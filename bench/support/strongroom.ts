import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type BenchChild } from './child-process.js';
import type { BenchDatabase } from './database.js';
import type { BenchKeys } from './keys.js';
import { freePort } from '../../test/support/cli-process.js';

/** The real CLI entry point: every Strongroom figure comes from the command an operator runs. */
export const CLI = 'services/cli/main.ts';

/** What a `strongroom` child process needs: the bench database, the bench keys, a data dir. */
export interface StrongroomEnv {
  dataDir: string;
  env: Record<string, string>;
}

// Every child's data dir (dev JWT keys and the like) lives under one folder, removed at the end.
const DATA_ROOT = join(tmpdir(), 'strongroom-bench-data');

/** Removes the data dirs of every child started by this bench. */
export function removeDataDirs(): void {
  rmSync(DATA_ROOT, { recursive: true, force: true });
}

export function strongroomEnv(
  db: BenchDatabase,
  keys: BenchKeys,
  extra: Record<string, string> = {},
): StrongroomEnv {
  mkdirSync(DATA_ROOT, { recursive: true });
  const dataDir = mkdtempSync(join(DATA_ROOT, 'run-'));
  return {
    dataDir,
    env: {
      NODE_ENV: 'development',
      STRONGROOM_DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      STRONGROOM_MASTER_KEYS: keys.env(),
      // Production's default level: the resolver logs one line per call.
      STRONGROOM_LOG_LEVEL: 'info',
      ...extra,
    },
  };
}

/** `strongroom api` on a free port; resolves once it listens. */
export async function startApi(base: StrongroomEnv): Promise<{ child: BenchChild; url: string }> {
  const port = await freePort();
  const child = startChild(CLI, ['api'], {
    env: { ...base.env, STRONGROOM_API_PORT: String(port) },
    readyLine: /listening on (http:\S+)/,
  });
  const match = await child.ready;
  return { child, url: match[1]!.replace('localhost', '127.0.0.1') };
}

/** `strongroom resolver` on a free port (and a free ops port); resolves once it serves. */
export async function startResolver(base: StrongroomEnv): Promise<{ child: BenchChild; port: number }> {
  const port = await freePort();
  const child = startChild(CLI, ['resolver'], {
    env: {
      ...base.env,
      STRONGROOM_RESOLVER_PORT: String(port),
      STRONGROOM_RESOLVER_METRICS_PORT: String(await freePort()),
    },
    readyLine: /Ops \(HTTP\)/,
  });
  await child.ready;
  return { child, port };
}
