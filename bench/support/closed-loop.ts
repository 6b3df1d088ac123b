import { performance } from 'node:perf_hooks';
import { quantile } from './stats.js';

/** Throughput and latency of closed-loop load. */
export interface LoadResult {
  calls: number;
  errors: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** What one closed-loop slice measured, to be merged with others. */
export interface LoadSample {
  latencies: number[];
  seconds: number;
  errors: number;
  firstError?: string;
}

/**
 * Closed loop: `inFlight` workers each issue a call, wait for its answer, and issue the
 * next, for `seconds`. A failed call counts as an error (and is not timed); the first
 * error is kept so a broken run is visible rather than fast.
 */
export async function runClosedLoopSample(
  call: (worker: number, n: number) => Promise<unknown>,
  { inFlight, seconds }: { inFlight: number; seconds: number },
): Promise<LoadSample> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const until = started + seconds * 1000;
  async function worker(id: number): Promise<void> {
    for (let n = 0; performance.now() < until; n += 1) {
      const t0 = performance.now();
      try {
        await call(id, n);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= (error as Error).message;
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, (_, i) => worker(i)));
  return { latencies, seconds: (performance.now() - started) / 1000, errors, firstError };
}

/** Merges slices into one result; throws if any call failed. */
export function summarize(what: string, samples: LoadSample[]): LoadResult {
  const latencies = samples.flatMap((s) => s.latencies);
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  if (errors > 0)
    throw new Error(
      `${what}: ${errors} failed calls, first: ${samples.find((s) => s.firstError)?.firstError}`,
    );
  const seconds = samples.reduce((n, s) => n + s.seconds, 0);
  return {
    calls: latencies.length,
    errors,
    callsPerSecond: latencies.length / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

/** One closed-loop run, summarised. */
export async function runClosedLoop(
  what: string,
  call: (worker: number, n: number) => Promise<unknown>,
  options: { inFlight: number; seconds: number },
): Promise<LoadResult> {
  return summarize(what, [await runClosedLoopSample(call, options)]);
}
