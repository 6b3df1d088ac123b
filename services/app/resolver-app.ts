import type { DataSource } from 'typeorm';
import type { AuditLog } from '../core/audit/audit-log.js';
import type { Config } from '../core/config/config.js';
import type { EnvelopeCipher } from '../core/crypto/envelope-cipher.js';
import type { Logger } from '../core/logging/logger.js';
import type { Metrics } from '../core/metrics/metrics.js';
import { createCandidateCache, type CandidateCache } from '../core/resolution/candidate-cache.js';
import { createCandidateLookupCoalescer } from '../core/resolution/candidate-lookup-coalescer.js';
import { createDataKeyCache } from '../core/resolution/data-key-cache.js';
import { createLastUsedTracker, type LastUsedTracker } from '../core/resolution/last-used-tracker.js';
import { createResolutionService, type ResolutionService } from '../core/resolution/resolution-service.js';
import { loadRunnerPolicy, type RunnerPolicy } from '../core/resolution/runner-policy.js';
import { instrumentResolverAuditLog } from '../resolver/audit-metrics.js';
import { instrumentCandidateCache } from '../resolver/candidate-metrics.js';
import { createResolverServer } from '../resolver/resolver-server.js';
import { loadTlsMaterial } from '../resolver/tls/tls-material.js';
import { createDatabasePing } from '../storage/database-ping.js';
import { createResolutionStore, type ResolutionStore } from '../storage/resolution-store.js';

/** What a resolution service is built from, and what its caller keeps of it. */
export interface ResolutionWiring {
  resolutionService: ResolutionService;
  candidates: CandidateCache;
  lastUsed: LastUsedTracker;
  store: ResolutionStore;
}

/**
 * The resolve path, wired once for `strongroom resolver`, `strongroom start` and the
 * resolver test harness: candidates kept per workspace and proven current in the
 * audit commit, misses sharing their SELECTs across concurrent calls (as the calls
 * share their audit commits), data keys kept beside the candidates they open. With
 * `metrics`, the cache and audit writes are instrumented.
 */
export function createResolutionWiring({
  dataSource,
  cipher,
  auditLog,
  policy,
  logger,
  metrics,
  statementTimeoutMs,
  candidateStore,
  lastUsedFlushMs,
}: {
  dataSource: DataSource;
  cipher: EnvelopeCipher;
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  policy: RunnerPolicy;
  logger?: Logger;
  metrics?: Metrics;
  statementTimeoutMs?: number;
  /** Replaces the candidate statements behind the cache and coalescer (tests). */
  candidateStore?: Pick<ResolutionStore, 'findCandidateSnapshots'>;
  lastUsedFlushMs?: number;
}): ResolutionWiring {
  const store = createResolutionStore({ dataSource, statementTimeoutMs });
  const lastUsed = createLastUsedTracker({ store, logger, flushIntervalMs: lastUsedFlushMs });
  const candidates = createCandidateCache({
    lookup: createCandidateLookupCoalescer({ store: candidateStore ?? store }),
  });
  const resolutionService = createResolutionService({
    candidates: metrics ? instrumentCandidateCache(candidates, metrics) : candidates,
    dataKeys: createDataKeyCache({ cipher }),
    auditLog: metrics ? instrumentResolverAuditLog(auditLog, metrics) : auditLog,
    policy,
    lastUsed,
  });
  return { resolutionService, candidates, lastUsed, store };
}

/** How often an idle resolver drops kept candidates past their time (30 s). */
const CANDIDATE_SWEEP_MS = 5_000;

/** A started resolver and what an operator needs to know about it. */
export interface StartedResolver {
  port: number;
  /** Human-readable lines: where it listens, which TLS files and policy it uses. */
  summary: string[];
  /** True while the database answers (within a second): the readiness of health probes. */
  isReady(): Promise<boolean>;
  /**
   * Stops accepting calls, lets calls in flight finish for `graceMs` (then cuts them),
   * and writes pending lastUsedAt times. The database stays open: the caller owns it.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Wires the resolver from a process's shared parts (used by `strongroom start` and
 * `strongroom resolver`): TLS files, runner policy, resolution service, server. With
 * `metrics`, calls, resolved names and audit write latency are recorded on it; serving
 * them (the plain-HTTP ops port, or the API's `/metrics`) is the caller's choice.
 */
export async function startResolver({
  config,
  logger,
  dataSource,
  cipher,
  auditLog,
  metrics,
}: {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  cipher: EnvelopeCipher;
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  metrics?: Metrics;
}): Promise<StartedResolver> {
  const tls = await loadTlsMaterial(config);
  if (tls.generated)
    logger.warn({ paths: tls.generated }, 'development: generated a dev CA and TLS certificates');
  const policy = loadRunnerPolicy(config);
  const { resolutionService, candidates, lastUsed } = createResolutionWiring({
    dataSource,
    cipher,
    auditLog,
    policy,
    logger,
    metrics,
    statementTimeoutMs: config.dbStatementTimeoutMs,
  });
  // One second: health probes must not hang on a dead pool.
  const isReady = createDatabasePing(dataSource, 1_000);
  const server = createResolverServer({
    resolutionService,
    logger: logger.child({ component: 'resolver' }),
    tls,
    isReady,
    metrics,
  });
  const port = await server.listen(config.resolverPort);
  lastUsed.start();
  // Calls drop expired candidates as they go; this forgets them when no call comes.
  const sweeper = setInterval(() => candidates.sweep(), CANDIDATE_SWEEP_MS);
  sweeper.unref();
  const summary = [
    `  Resolver:    localhost:${port} (gRPC, mTLS)`,
    `    server certificate ${tls.paths.cert}${tls.generated ? ' (generated just now)' : ''}`,
    `    server key         ${tls.paths.key}`,
    `    runner CA          ${tls.paths.runnerCa}`,
    ...(tls.generated
      ? [`    dev runner cert    ${tls.generated.runnerCert} (key ${tls.generated.runnerKey})`]
      : []),
    policy.permissive
      ? '    runner policy      none: development lets any runner chaining to the CA resolve for any workspace'
      : `    runner policy      ${config.runnerPolicyPath}`,
  ];
  return {
    port,
    summary,
    isReady,
    async close(graceMs) {
      await server.close(graceMs);
      clearInterval(sweeper);
      await lastUsed.stop();
    },
  };
}
