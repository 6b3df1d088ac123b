import { performance } from 'node:perf_hooks';
import type { BenchDatabase } from './support/database.js';
import { adminToken, createGraphqlClient } from './support/graphql-client.js';
import type { BenchKeys } from './support/keys.js';
import { belowFigure, flatMemoryFigure, type Figure } from './support/report.js';
import { secretName, seedSecrets } from './support/seed.js';
import { startApi, strongroomEnv } from './support/strongroom.js';

const SIZES = [2_000, 10_000];
const IMPORT = `mutation ($input: ImportSecretsInput!) { importSecrets(input: $input) { created updated skipped } }`;

interface ImportRun {
  lines: number;
  seconds: number;
  /** The API process's VmHWM before the import (after start-up) and after it, in MiB. */
  idlePeakRssMb: number;
  peakRssMb: number;
  floorSeconds: number;
}

/** A .env of `lines` distinct names with 40-character values. */
const dotenv = (lines: number): string =>
  Array.from(
    { length: lines },
    (_, i) => `${secretName('IMPORT', i)}=${'v'.repeat(32)}${String(i).padStart(8, '0')}`,
  ).join('\n');

/**
 * One `importSecrets` of a 10,000-line .env (and of 2,000, to see memory grow or not)
 * over HTTP against `strongroom api` in a child process, whose peak RSS (VmHWM) is
 * sampled. Floor: sealing and multi-row INSERTing the same number of secrets directly.
 */
export async function benchImport({
  db,
  keys,
}: {
  db: BenchDatabase;
  keys: BenchKeys;
}): Promise<{ figures: Figure[]; raw: ImportRun[] }> {
  const runs: ImportRun[] = [];
  for (const lines of SIZES) {
    const workspaceId = `ws-import-${lines}`;
    const base = strongroomEnv(db, keys);
    const token = await adminToken(base.dataDir, workspaceId);
    const api = await startApi(base);
    let run: Omit<ImportRun, 'floorSeconds'>;
    try {
      const gql = createGraphqlClient(api.url, token);
      const text = dotenv(lines);
      const idlePeakRssMb = api.child.peakRssMb();
      const t0 = performance.now();
      const { importSecrets } = await gql<{ importSecrets: { created: number } }>(IMPORT, {
        input: { dotenv: text },
      });
      const seconds = (performance.now() - t0) / 1000;
      if (importSecrets.created !== lines)
        throw new Error(`import created ${importSecrets.created} of ${lines}`);
      run = { lines, seconds, idlePeakRssMb, peakRssMb: api.child.peakRssMb() };
    } finally {
      await api.child.stop();
    }
    const f0 = performance.now();
    await seedSecrets(db.pool, keys.cipher(), {
      tagState: await keys.stateTagger(db.pool),
      workspaceId: `ws-import-floor-${lines}`,
      count: lines,
      prefix: 'IMPORT',
    });
    runs.push({ ...run, floorSeconds: (performance.now() - f0) / 1000 });
  }
  const [small, large] = [runs[0]!, runs.at(-1)!];
  return {
    figures: [
      belowFigure(
        {
          figure: `importSecrets ${large.lines} lines`,
          unit: 's',
          value: large.seconds,
          floor: { name: 'seal + multi-row INSERT', value: large.floorSeconds },
        },
        10,
      ),
      belowFigure(
        {
          figure: `importSecrets ${large.lines} lines, API peak RSS`,
          unit: 'MiB',
          value: large.peakRssMb,
          floor: { name: 'API idle', value: large.idlePeakRssMb },
          note: 'VmHWM of the strongroom api child process',
        },
        300,
      ),
      flatMemoryFigure(`importSecrets peak RSS ${small.lines}→${large.lines} lines`, large.peakRssMb, {
        name: `${small.lines} lines`,
        peakRssMb: small.peakRssMb,
      }),
    ],
    raw: runs,
  };
}
