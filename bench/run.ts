/**
 * `npm run bench`: every benchmark of issue #8 on the machine's MariaDB, each figure
 * beside a floor measured in the same run. Prints the table and writes
 * bench/results/latest.json. BENCH_SECONDS (default 10) sets each closed-loop run's
 * length; BENCH_ONLY=resolve,listing,... runs a subset (BENCH_ONLY=masker needs no database;
 * keyring needs softhsm2 and opensc; galera needs galera-4 and rsync, and root).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchConsole } from './console.js';
import { benchGalera } from './galera.js';
import { benchImport } from './import.js';
import { benchIntegrity } from './integrity.js';
import { benchKeyring } from './keyring.js';
import { benchListing } from './listing.js';
import { benchMasker } from './masker.js';
import { benchMutations } from './mutations.js';
import { benchResolve } from './resolve.js';
import { benchRunGrants } from './run-grants.js';
import { benchRewrap } from './rewrap.js';
import { benchWebhooks } from './webhooks.js';
import { createBenchDatabase, type BenchDatabase } from './support/database.js';
import { createBenchKeys } from './support/keys.js';
import { createBenchPki } from './support/pki.js';
import { formatTable, type Figure } from './support/report.js';
import { removeDataDirs } from './support/strongroom.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
// BENCH_LEVELS=32 runs resolve at those in-flight levels only (a quick look at the targeted one).
const levels = (process.env.BENCH_LEVELS ?? '8,32,64').split(',').map(Number);
const wanted = (name: string) => !only || only.includes(name);

async function machine(db: BenchDatabase | undefined) {
  const rows = db
    ? ((await db.pool.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]])
    : undefined;
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    ramGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    mariadb: rows?.[0][0].version ?? 'not used',
    node: process.version,
  };
}

// The masker runs in this process alone; galera brings its own servers (a three-node
// cluster and a lone node, test/cluster/support/galera-cluster.ts); everything else needs
// the database and certificates.
const DATABASE_FREE = ['masker', 'grants', 'galera'];
const needsDatabase = !only || only.some((name) => !DATABASE_FREE.includes(name));
// BENCH_DATABASE names the bench's own database (default strongroom_bench), so runs from two checkouts do not collide.
const db = needsDatabase ? await createBenchDatabase(process.env.BENCH_DATABASE) : undefined;
const keys = createBenchKeys();
const pki = needsDatabase || wanted('galera') ? await createBenchPki() : undefined;
const figures: Figure[] = [];
const details: Record<string, unknown> = {};
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const env = await machine(db);
  log(`bench: ${JSON.stringify(env)}; ${seconds} s per closed-loop run`);
  const steps: Array<[string, () => Promise<{ figures: Figure[]; raw?: unknown }>]> = [
    ['resolve', () => benchResolve({ db: db!, keys, pki: pki!, seconds, levels })],
    ['mutations', () => benchMutations({ db: db!, keys, seconds })],
    ['import', () => benchImport({ db: db!, keys })],
    ['listing', () => benchListing({ db: db!, keys })],
    ['rewrap', () => benchRewrap({ db: db! })],
    ['masker', () => benchMasker({ seconds })],
    ['grants', () => benchRunGrants()],
    ['console', () => benchConsole({ db: db!, keys })],
    ['keyring', () => benchKeyring({ db: db!, keys, pki: pki!, seconds })],
    ['integrity', () => benchIntegrity({ db: db!, keys })],
    ['webhooks', () => benchWebhooks({ db: db!, keys, seconds })],
    ['galera', () => benchGalera({ keys, pki: pki!, seconds })],
  ];
  for (const [name, step] of steps) {
    if (!wanted(name)) continue;
    log(`bench: ${name}…`);
    await db?.truncate();
    const result = await step();
    figures.push(...result.figures);
    details[name] = result.raw;
    log(formatTable(result.figures));
  }
  console.log(formatTable(figures));
  mkdirSync('bench/results', { recursive: true });
  // A subset run gets its own file, so it never replaces the full run's results.
  const resultsFile = only ? `bench/results/latest-${only.join('+')}.json` : 'bench/results/latest.json';
  writeFileSync(
    resultsFile,
    `${JSON.stringify({ at: new Date().toISOString(), seconds, machine: env, figures, details }, null, 2)}\n`,
  );
  log(`bench: wrote ${resultsFile}`);
} finally {
  await db?.drop();
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
  removeDataDirs();
}
