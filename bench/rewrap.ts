import { performance } from 'node:perf_hooks';
import { runChild } from './support/child-process.js';
import type { BenchDatabase } from './support/database.js';
import { createBenchKeys } from './support/keys.js';
import { belowFigure, flatMemoryFigure, type Figure } from './support/report.js';
import { seedSecrets } from './support/seed.js';
import { CLI, strongroomEnv } from './support/strongroom.js';

const SIZES = [20_000, 100_000];
const VERSIONS_PER_SECRET = 5;

interface RewrapRun {
  versions: number;
  seconds: number;
  peakRssMb: number;
  /** Sealing and multi-row INSERTing the same versions: writing each row once. */
  floorSeconds: number;
}

/**
 * `strongroom keys rewrap` (the real CLI, a child process whose VmHWM is sampled) over
 * 20,000 and 100,000 versions sealed under a key that is then rotated out. The floor
 * is the time it took to write those versions in the first place.
 */
export async function benchRewrap({
  db,
}: {
  db: BenchDatabase;
}): Promise<{ figures: Figure[]; raw: RewrapRun[] }> {
  const runs: RewrapRun[] = [];
  for (const versions of SIZES) {
    await db.truncate();
    const keys = createBenchKeys();
    const f0 = performance.now();
    await seedSecrets(db.pool, keys.cipher(), {
      tagState: await keys.stateTagger(db.pool),
      workspaceId: 'ws-rewrap',
      count: versions / VERSIONS_PER_SECRET,
      prefix: 'REWRAP',
      versions: VERSIONS_PER_SECRET,
    });
    const floorSeconds = (performance.now() - f0) / 1000;
    keys.rotate();
    const { env } = strongroomEnv(db, keys, { STRONGROOM_LOG_LEVEL: 'warn' });
    const result = await runChild(CLI, ['keys', 'rewrap'], env);
    const rewrapped = Number(/rewrapped (\d+)/.exec(result.stdout)?.[1]);
    if (rewrapped !== versions)
      throw new Error(`keys rewrap re-wrapped ${rewrapped} of ${versions}: ${result.stdout}`);
    runs.push({ versions, seconds: result.seconds, peakRssMb: result.peakRssMb, floorSeconds });
  }
  const [small, large] = [runs[0]!, runs.at(-1)!];
  return {
    figures: [
      belowFigure(
        {
          figure: `keys rewrap ${large.versions} versions`,
          unit: 's',
          value: large.seconds,
          floor: { name: 'seal + multi-row INSERT', value: large.floorSeconds },
        },
        60,
      ),
      belowFigure(
        {
          figure: `keys rewrap ${large.versions} versions, peak RSS`,
          unit: 'MiB',
          value: large.peakRssMb,
          note: 'VmHWM of the strongroom keys rewrap child process',
        },
        300,
      ),
      flatMemoryFigure(`keys rewrap peak RSS ${small.versions}→${large.versions}`, large.peakRssMb, {
        name: `${small.versions} versions`,
        peakRssMb: small.peakRssMb,
      }),
    ],
    raw: runs,
  };
}
