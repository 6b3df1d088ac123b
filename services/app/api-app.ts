import { loadOrCreateDevJwtKeys } from '../core/auth/dev-jwt-keys.js';
import { createTokenVerifier, type TokenVerifier } from '../api/auth/token-verifier.js';
import { createApiServer, type ApiServer } from '../api/api-server.js';
import type { ApiServices } from '../api/graphql-context.js';
import type { GraphQLResponseInfo, HttpLimits } from '../api/graphql-http-route.js';
import { createFailedAuthentications } from '../core/auth/failed-authentications.js';
import { createAuditQueryService } from '../core/audit/audit-query-service.js';
import { createIncrementalAuditVerifier } from '../core/audit/incremental-audit-verifier.js';
import type { Config } from '../core/config/config.js';
import { keyringMembers } from '../core/crypto/keyring-routing.js';
import type { HttpRoute } from '../core/http/route-server.js';
import type { Logger } from '../core/logging/logger.js';
import type { Metrics } from '../core/metrics/metrics.js';
import { timeAuditWrites } from '../core/metrics/timed-audit-log.js';
import { createReferenceCheckService } from '../core/secrets/reference-check.js';
import { createSecretChangeRunner } from '../core/secrets/secret-change.js';
import { createSecretImportService } from '../core/secrets/secret-import-service.js';
import { createSecretMemberService } from '../core/secrets/secret-member-service.js';
import { createSecretRefusals } from '../core/secrets/secret-refusals.js';
import { createSecretService } from '../core/secrets/secret-service.js';
import { createSecretValueWriter } from '../core/secrets/secret-value-writer.js';
import { createSystemSecretService } from '../core/secrets/system-secret-service.js';
import { createAuditQueryStore } from '../storage/audit-query-store.js';
import { createDatabasePing } from '../storage/database-ping.js';
import { createResolutionStore } from '../storage/resolution-store.js';
import { createSecretListingStore } from '../storage/secret-listing-store.js';
import type { Runtime } from './runtime.js';

/** The domain services behind the API, built from the shared runtime. */
export function createApiServices(
  runtime: Pick<
    Runtime,
    | 'dataSource'
    | 'secretStore'
    | 'auditStore'
    | 'auditLog'
    | 'cipher'
    | 'config'
    | 'metrics'
    | 'stateSealer'
    | 'checkpointStore'
    | 'integrity'
  >,
): ApiServices {
  const { dataSource, secretStore, auditStore, cipher, config, stateSealer } = runtime;
  // Every audit append of the API is timed, as the resolver's are (strongroom_audit_write_duration_seconds).
  const auditLog = timeAuditWrites(runtime.auditLog, runtime.metrics);
  const refusals = createSecretRefusals({ auditLog });
  const changes = createSecretChangeRunner({ secretStore, refusals });
  const writer = createSecretValueWriter({ secretStore, cipher, stateSealer });
  const common = { secretStore, writer, auditLog, refusals, changes, maxValueBytes: config.maxValueBytes };
  return {
    secrets: createSecretService({ ...common, listingStore: createSecretListingStore({ dataSource }) }),
    members: createSecretMemberService({ secretStore, auditLog, changes, stateSealer }),
    systemSecrets: createSystemSecretService(common),
    imports: createSecretImportService(common),
    references: createReferenceCheckService({
      resolutionStore: createResolutionStore({ dataSource, statementTimeoutMs: config.dbStatementTimeoutMs }),
      auditLog,
    }),
    audit: createAuditQueryService({
      auditQueryStore: createAuditQueryStore({ dataSource }),
      verifier: createIncrementalAuditVerifier({
        auditStore,
        checkpointStore: runtime.checkpointStore,
        publicKey: async () => (await runtime.integrity.keys()).publicKey,
        maxCheckpointAgeMs: runtime.config.auditCheckpoints.maxAgeSeconds * 1000,
      }),
      auditLog,
    }),
  };
}

/** Production trusts the JWKS; development its own key pair in the data dir (created, and said so, when missing). */
export async function createVerifierFor(
  config: Config,
  logger?: Pick<Logger, 'warn'>,
): Promise<TokenVerifier> {
  if (config.jwt.jwksUrl) return createTokenVerifier({ ...config.jwt });
  // Development trusts its own key pair; age and typ rules apply as in production.
  const keys = await loadOrCreateDevJwtKeys(config.dataDir, (dir) =>
    logger?.warn({ dir }, 'development: generated a JWT signing key pair'),
  );
  return createTokenVerifier({
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    maxAgeSeconds: config.jwt.maxAgeSeconds,
    typ: config.jwt.typ,
    devPublicKey: keys.publicKey,
  });
}

/**
 * The API's HTTP server over a runtime: its services, readiness on the runtime's
 * database and keyring, failed authentications limited and aggregated on its audit log. Used by
 * `strongroom api`, `strongroom start` and every test that needs a real API.
 */
export function createApiServerFor(
  runtime: Runtime,
  {
    verifyToken,
    services = createApiServices(runtime),
    metrics,
    extraRoutes,
    limits,
    onResponse,
  }: {
    verifyToken: TokenVerifier;
    services?: ApiServices;
    /** When given, /metrics serves its registry and every GraphQL request is counted and timed. */
    metrics?: Metrics;
    extraRoutes?: Record<string, HttpRoute>;
    limits?: HttpLimits;
    onResponse?: (info: GraphQLResponseInfo) => void;
  },
): Promise<ApiServer> {
  const databaseAnswers = createDatabasePing(runtime.dataSource, 2_000);
  return createApiServer({
    services,
    verifyToken,
    failedAuthentications: createFailedAuthentications({
      auditLog: runtime.auditLog,
      logger: runtime.logger,
      limits: runtime.config.authFailureLimits,
      onLimited: () => metrics?.authRateLimitedTotal.inc(),
    }),
    logger: runtime.logger,
    production: runtime.config.mode === 'production',
    readiness: {
      database: databaseAnswers,
      keyring: () =>
        keyringMembers(runtime.keyring)[0]!
          .check()
          .then(
            () => true,
            () => false,
          ),
    },
    metrics,
    extraRoutes,
    limits,
    onResponse,
  });
}
