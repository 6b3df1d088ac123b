import type { DataSource } from 'typeorm';
import type { AuditLog } from '../core/audit/audit-log.js';
import type { Config } from '../core/config/config.js';
import type { EnvelopeCipher } from '../core/crypto/envelope-cipher.js';
import type { Keyring } from '../core/crypto/keyring.js';
import type { Logger } from '../core/logging/logger.js';
import type { Metrics } from '../core/metrics/metrics.js';
import { createLastUsedTracker } from '../core/resolution/last-used-tracker.js';
import { createResolutionService } from '../core/resolution/resolution-service.js';
import { loadRunnerPolicy } from '../core/resolution/runner-policy.js';
import { createDatabasePing } from '../storage/database-ping.js';
import { createResolutionStore } from '../storage/resolution-store.js';
import { createCandidateCache } from '../core/resolution/candidate-cache.js';
import { createCandidateLookupCoalescer } from '../core/resolution/candidate-lookup-coalescer.js';
import { instrumentResolverAuditLog } from './audit-metrics.js';
import { instrumentCandidateCache } from './candidate-metrics.js';
import { createResolverServer } from './resolver-server.js';
import { loadTlsMaterial } from './tls/tls-material.js';

/** How often an idle resolver drops kept candidates past their time (30 s). */
const CANDIDATE_SWEEP_MS = 5_000;

/** A started resolver and what an operator needs to know about it. */
export interface StartedResolver {
  port: number;
  /** Human-readable lines: where it listens, which TLS files and policy it uses. */
  summary: string[];
  /**
   * True while the database answers (within a second) and the key provider can
   * unwrap (asked at most once a second): the readiness of health probes.
   */
  isReady(): Promise<boolean>;
  /** The same, check by check, for `/readyz` to show which one failed. */
  readiness(): Promise<{ database: boolean; keyring: boolean }>;
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
  keyring,
  auditLog,
  metrics,
}: {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  cipher: EnvelopeCipher;
  /** Its `check` joins readiness: without a provider that answers, no value can be opened. */
  keyring?: Pick<Keyring, 'check'>;
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  metrics?: Metrics;
}): Promise<StartedResolver> {
  const tls = await loadTlsMaterial(config);
  if (tls.generated)
    logger.warn({ paths: tls.generated }, 'development: generated a dev CA and TLS certificates');
  const policy = loadRunnerPolicy(config);
  const store = createResolutionStore({ dataSource, statementTimeoutMs: config.dbStatementTimeoutMs });
  const lastUsed = createLastUsedTracker({ store, logger });
  const candidates = createCandidateCache({ lookup: createCandidateLookupCoalescer({ store }) });
  const resolutionService = createResolutionService({
    // Candidates are kept per workspace and proven current in the audit commit; misses
    // share their SELECTs across concurrent calls, as the calls share their audit commits.
    candidates: metrics ? instrumentCandidateCache(candidates, metrics) : candidates,
    cipher,
    auditLog: metrics ? instrumentResolverAuditLog(auditLog, metrics) : auditLog,
    policy,
    lastUsed,
  });
  // One second: health probes must not hang on a dead pool.
  const databaseAnswers = createDatabasePing(dataSource, 1_000);
  const readiness = async () => {
    const [database, keyringAnswers] = await Promise.all([
      databaseAnswers(),
      keyring
        ? keyring.check().then(
            () => true,
            () => false,
          )
        : true,
    ]);
    return { database, keyring: keyringAnswers };
  };
  const isReady = async () => {
    const checks = await readiness();
    return checks.database && checks.keyring;
  };
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
    readiness,
    async close(graceMs) {
      await server.close(graceMs);
      clearInterval(sweeper);
      await lastUsed.stop();
    },
  };
}
