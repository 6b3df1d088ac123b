import type { Metrics } from './metrics.js';

/** Ends a timed request: counts it and observes its latency under `outcome`. */
export type EndRequest = (outcome: string) => void;

/**
 * Starts timing one request of `service`/`operation`. Call the returned function once
 * when the outcome is known; further calls are ignored, so a transport may call it
 * from both its reply and its cancellation paths without double counting.
 */
export function startRequestTimer(
  metrics: Pick<Metrics, 'requestsTotal' | 'requestDuration'>,
  labels: { service: string; operation: string },
): EndRequest {
  const started = process.hrtime.bigint();
  let ended = false;
  return (outcome) => {
    if (ended) return;
    ended = true;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // A literal rather than `{ ...labels, outcome }`, which builds a new hidden class per call here.
    const all = { service: labels.service, operation: labels.operation, outcome };
    metrics.requestsTotal.inc(all);
    metrics.requestDuration.observe(all, seconds);
  };
}
