import type { CandidateCache } from '../core/resolution/candidate-cache.js';
import type { Metrics } from '../core/metrics/metrics.js';

/**
 * The resolver's candidate cache, instrumented at its boundary with the resolution
 * service: each read counts under its source, each invalidation (the service drops a
 * workspace only when a cached read was refused as stale) counts as a stale read, and
 * the cache's size is set after each. How often kept candidates save a SELECT, and how
 * often writes make them miss, is then visible per resolver.
 */
export function instrumentCandidateCache(
  cache: Pick<CandidateCache, 'find' | 'invalidate' | 'bytes'>,
  metrics: Pick<Metrics, 'candidateReadsTotal' | 'candidateStaleReadsTotal' | 'candidateCacheBytes'>,
): Pick<CandidateCache, 'find' | 'invalidate'> {
  return {
    async find(...args) {
      const read = await cache.find(...args);
      metrics.candidateReadsTotal.inc({ source: read.cached ? 'cache' : 'lookup' });
      metrics.candidateCacheBytes.set(cache.bytes());
      return read;
    },
    invalidate(workspaceId) {
      cache.invalidate(workspaceId);
      metrics.candidateStaleReadsTotal.inc();
      metrics.candidateCacheBytes.set(cache.bytes());
    },
  };
}
