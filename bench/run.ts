/**
 * `npm run bench`: every benchmark of issue #8 on the machine's MariaDB, each figure
 * beside a floor measured in the same run. Prints the table and writes
 * bench/results/latest.json. BENCH_SECONDS (default 10) sets each closed-loop run's
 * length; BENCH_ONLY=resolve,listing,...,keyring runs a subset (keyring needs softhsm2 and opensc).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchImport } from './import.js';
import { benchKeyring } from './keyring.js';
import { benchListing } from './listing.js';
import { benchMutations } from './mutations.js';
import { benchResolve } from './resolve.js';
import { benchRewrap } from './rewrap.js';
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

async function machine(db: BenchDatabase) {
  const [[row]] = (await db.pool.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]];
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    ramGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    mariadb: row.version,
    node: process.version,
  };
}

// BENCH_DATABASE names the bench's own database (default strongroom_bench), so runs from two checkouts do not collide.
const db = await createBenchDatabase(process.env.BENCH_DATABASE);
const keys = createBenchKeys();
const pki = await createBenchPki();
const figures: Figure[] = [];
const details: Record<string, unknown> = {};
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  const env = await machine(db);
  log(`bench: ${JSON.stringify(env)}; ${seconds} s per closed-loop run`);
  const steps: Array<[string, () => Promise<{ figures: Figure[]; raw?: unknown }>]> = [
    ['resolve', () => benchResolve({ db, keys, pki, seconds, levels })],
    ['mutations', () => benchMutations({ db, keys, seconds })],
    ['import', () => benchImport({ db, keys })],
    ['listing', () => benchListing({ db, keys })],
    ['rewrap', () => benchRewrap({ db })],
    ['keyring', () => benchKeyring({ db, keys, pki, seconds })],
  ];
  for (const [name, step] of steps) {
    if (!wanted(name)) continue;
    log(`bench: ${name}…`);
    await db.truncate();
    const result = await step();
    figures.push(...result.figures);
    details[name] = result.raw;
    log(formatTable(result.figures));
  }
  console.log(formatTable(figures));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/latest.json',
    `${JSON.stringify({ at: new Date().toISOString(), seconds, machine: env, figures, details }, null, 2)}\n`,
  );
  log('bench: wrote bench/results/latest.json');
} finally {
  await db.drop();
  rmSync(pki.dir, { recursive: true, force: true });
  removeDataDirs();
}
