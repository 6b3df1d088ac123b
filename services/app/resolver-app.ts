import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadOrCreateDevJwtKeys } from '../core/auth/dev-jwt-keys.js';
import { createJwksKeySource } from '../core/auth/jwks-key-source.js';
import { watchFileContents } from '../core/config/watched-file.js';
import { createRunGrantVerifier, type RunGrantVerifier } from '../core/resolution/run-grant-verifier.js';
import { stateOfCandidate, type SecretStateTags } from '../core/integrity/secret-state.js';
import type { AuditLog } from '../core/audit/audit-log.js';
import type { Config } from '../core/config/config.js';
import type { EnvelopeCipher } from '../core/crypto/envelope-cipher.js';
import type { Keyring } from '../core/crypto/keyring.js';
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

/** Where development keeps the dev orchestrator's run grant key pair. */
export const devRunGrantKeyDir = (config: Pick<Config, 'dataDir'>): string =>
  join(config.dataDir, 'run-grant');

/**
 * The run grant verifier the config names: the orchestrator's JWKS in production;
 * in development the dev key pair in the data dir, created when missing, which
 * `strongroom token run` signs with.
 */
export async function runGrantVerifierFor(
  config: Pick<Config, 'dataDir' | 'runGrants'>,
  logger?: Pick<Logger, 'warn'>,
): Promise<RunGrantVerifier> {
  if (config.runGrants.jwksUrl) {
    return createRunGrantVerifier({
      keys: createJwksKeySource(config.runGrants.jwksUrl),
      issuer: config.runGrants.issuer,
    });
  }
  const keys = await loadOrCreateDevJwtKeys(
    config.dataDir,
    (dir) => logger?.warn({ dir }, 'development: generated a run grant signing key pair'),
    'run-grant',
  );
  return createRunGrantVerifier({ keys: keys.publicKey, issuer: config.runGrants.issuer });
}

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
  runGrants,
  stateTags,
  logger,
  metrics,
  statementTimeoutMs,
  candidateStore,
  lastUsedFlushMs,
}: {
  dataSource: DataSource;
  cipher: EnvelopeCipher;
  /** Checks each candidate's state tag once, when it is read (SPEC §8.1). */
  stateTags: Pick<SecretStateTags, 'checker'>;
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  policy: RunnerPolicy;
  /** Whether calls need a run grant, and who verifies one (optional and none by default). */
  runGrants?: { mode: 'required' | 'optional'; verifier?: Pick<RunGrantVerifier, 'verify'> };
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
    stateChecker: async () => {
      const verify = await stateTags.checker();
      return (candidate) => verify(stateOfCandidate(candidate), candidate.stateTag);
    },
  });
  const resolutionService = createResolutionService({
    candidates: metrics ? instrumentCandidateCache(candidates, metrics) : candidates,
    dataKeys: createDataKeyCache({ cipher }),
    auditLog: metrics ? instrumentResolverAuditLog(auditLog, metrics) : auditLog,
    policy,
    runGrants,
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
  stateTags,
  auditLog,
  metrics,
}: {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  cipher: EnvelopeCipher;
  stateTags: Pick<SecretStateTags, 'checker'>;
  /** Its `check` joins readiness: without a provider that answers, no value can be opened. */
  keyring?: Pick<Keyring, 'check'>;
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  metrics?: Metrics;
}): Promise<StartedResolver> {
  const tls = await loadTlsMaterial(config);
  if (tls.generated)
    logger.warn({ paths: tls.generated }, 'development: generated a dev CA and TLS certificates');
  const policy = loadRunnerPolicy(config, {
    onReloaded: () => logger.info({ path: config.runnerPolicyPath }, 'runner policy reloaded'),
    onReloadError: (error) =>
      logger.error(
        { path: config.runnerPolicyPath, err: error },
        'runner policy change refused; the old policy stays',
      ),
  });
  const runGrants = { mode: config.runGrants.mode, verifier: await runGrantVerifierFor(config, logger) };
  const { resolutionService, candidates, lastUsed } = createResolutionWiring({
    dataSource,
    cipher,
    auditLog,
    policy,
    runGrants,
    stateTags,
    logger,
    metrics,
    statementTimeoutMs: config.dbStatementTimeoutMs,
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
  const revocationList = config.runnerCrlPath ? readFileSync(config.runnerCrlPath) : undefined;
  const server = createResolverServer({
    resolutionService,
    logger: logger.child({ component: 'resolver' }),
    tls,
    identityRule: config.runnerIdentity,
    revocationListPem: revocationList,
    isReady,
    metrics,
  });
  // A new revocation list applies without a restart, and cuts the connections it revokes.
  const crlWatch =
    config.runnerCrlPath === undefined
      ? undefined
      : watchFileContents(
          config.runnerCrlPath,
          (crl) => {
            const cut = server.updateRevocationList(crl);
            logger.info({ path: config.runnerCrlPath, cut }, 'runner revocation list reloaded');
          },
          {
            onError: (error) =>
              logger.error(
                { path: config.runnerCrlPath, err: error },
                'runner revocation list change refused',
              ),
          },
        );
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
      : `    runner policy      ${config.runnerPolicyPath} (reloaded when it changes)`,
    `    runner identity    ${config.runnerIdentity === 'uri' ? 'URI SAN only' : 'URI SAN, else subject CN as cn:<CN>'}`,
    ...(config.runnerCrlPath
      ? [`    revocation list    ${config.runnerCrlPath} (reloaded when it changes)`]
      : []),
    `    run grants         ${config.runGrants.mode}, issuer ${config.runGrants.issuer}, keys ${
      config.runGrants.jwksUrl ?? `${devRunGrantKeyDir(config)} (development)`
    }`,
  ];
  return {
    port,
    summary,
    isReady,
    readiness,
    async close(graceMs) {
      await server.close(graceMs);
      crlWatch?.close();
      policy.close();
      clearInterval(sweeper);
      await lastUsed.stop();
    },
  };
}
