import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/config/config.js';
import type { Logger } from '../core/logging/logger.js';
import type { Runtime } from '../cli/runtime.js';
import { createAuditQueryService } from '../core/audit/audit-query-service.js';
import { createReferenceCheckService } from '../core/secrets/reference-check.js';
import { createSecretImportService } from '../core/secrets/secret-import-service.js';
import { createSecretService } from '../core/secrets/secret-service.js';
import { createAuditQueryStore } from '../storage/audit-query-store.js';
import { createResolutionStore } from '../storage/resolution-store.js';
import { createSecretListingStore } from '../storage/secret-listing-store.js';
import { loadOrCreateDevJwtKeys } from './auth/dev-jwt-keys.js';
import { createConsoleRoutes } from './console-route.js';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js';
import { createContextFactory, type ApiServices } from './graphql-context.js';
import { createGraphQLHttpRoute, type GraphQLResponseInfo, type HttpLimits } from './graphql-http-route.js';
import { createGraphQLServer, loadTypeDefs } from './graphql-server.js';
import { createHealthRoutes } from './health-routes.js';
import { createRouteServer, sendJson, type HttpRoute, type RouteServer } from '../core/http/route-server.js';
import type { Metrics } from '../core/metrics/metrics.js';
import { metricsHttpHandler } from '../core/metrics/metrics-http-handler.js';
import { timeAuditWrites } from '../core/metrics/timed-audit-log.js';

/** schema/ beside the sources (tsx) or beside dist/ (compiled build). */
export const SCHEMA_DIR =
  [new URL('../../schema/', import.meta.url), new URL('../../../schema/', import.meta.url)]
    .map((url) => fileURLToPath(url))
    .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../schema/', import.meta.url));

/** The domain services behind the API, built from the shared runtime. */
export function createApiServices(
  runtime: Pick<
    Runtime,
    'dataSource' | 'secretStore' | 'auditStore' | 'auditLog' | 'cipher' | 'config' | 'metrics'
  >,
): ApiServices {
  const { dataSource, secretStore, auditStore, cipher, config } = runtime;
  // Every audit append of the API is timed, as the resolver's are (strongroom_audit_write_duration_seconds).
  const auditLog = timeAuditWrites(runtime.auditLog, runtime.metrics);
  const common = { secretStore, cipher, auditLog, maxValueBytes: config.maxValueBytes };
  return {
    secrets: createSecretService({ ...common, listingStore: createSecretListingStore({ dataSource }) }),
    imports: createSecretImportService(common),
    references: createReferenceCheckService({
      resolutionStore: createResolutionStore({ dataSource, statementTimeoutMs: config.dbStatementTimeoutMs }),
      auditLog,
    }),
    audit: createAuditQueryService({
      auditQueryStore: createAuditQueryStore({ dataSource }),
      auditStore,
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
  const keys = await loadOrCreateDevJwtKeys(config.dataDir, (dir) =>
    logger?.warn({ dir }, 'development: generated a JWT signing key pair'),
  );
  return createTokenVerifier({
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    devPublicKey: keys.publicKey,
  });
}

/** The API's HTTP server, with the two steps of a graceful stop. */
export interface ApiServer extends RouteServer {
  /** Turns /readyz to 503 so load balancers stop choosing this replica; everything else still serves. */
  drain(): void;
  /**
   * Stops accepting connections, lets requests in flight finish for up to `graceMs`
   * (then cuts their connections), and stops Apollo. The database stays open: the caller owns it.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The API process: GraphQL at /graphql plus /healthz and /readyz (and any extra
 * routes such as /metrics), and the admin console at / when it is built, on one HTTP
 * server. Returns once Apollo has started.
 */
export async function createApiServer({
  runtime,
  verifyToken,
  services = createApiServices(runtime),
  extraRoutes = {},
  limits,
  onResponse,
  metrics,
  consoleDir,
}: {
  runtime: Runtime;
  /** The built admin console served at `/` (default dist/console, when built); `false` serves none. */
  consoleDir?: string | false;
  /** When given, /metrics serves its registry and every GraphQL request is counted and timed. */
  metrics?: Metrics;
  verifyToken: TokenVerifier;
  services?: ApiServices;
  extraRoutes?: Record<string, HttpRoute>;
  limits?: HttpLimits;
  onResponse?: (info: GraphQLResponseInfo) => void;
}): Promise<ApiServer> {
  const graphql = createGraphQLServer({
    typeDefs: loadTypeDefs(SCHEMA_DIR),
    logger: runtime.logger,
    production: runtime.config.mode === 'production',
  });
  await graphql.start();
  const buildContext = createContextFactory({ services, verifyToken, auditLog: runtime.auditLog });
  const health = createHealthRoutes(runtime);
  let draining = false;
  const routes: Record<string, HttpRoute> = {
    ...health,
    '/readyz': (req, res) =>
      draining ? sendJson(res, 503, { status: 'draining' }) : health['/readyz']!(req, res),
    ...(metrics ? { '/metrics': metricsHttpHandler(metrics.registry) } : {}),
    ...(consoleDir === false ? {} : createConsoleRoutes(consoleDir)),
    ...extraRoutes,
    '/graphql': createGraphQLHttpRoute({
      server: graphql,
      buildContext,
      logger: runtime.logger,
      limits,
      onResponse: (info) => {
        // Labels stay bounded: operations are named by the schema's root fields, outcomes by error code.
        const labels = { service: 'api', operation: info.operation, outcome: info.outcome };
        metrics?.requestsTotal.inc(labels);
        metrics?.requestDuration.observe(labels, info.durationMs / 1000);
        onResponse?.(info);
      },
    }),
  };
  // Closing lets each keep-alive connection go as soon as its answer is out (createRouteServer).
  const http = createRouteServer({ logger: runtime.logger, routes });
  return {
    ...http,
    drain() {
      draining = true;
    },
    async stop(graceMs) {
      await http.close(graceMs);
      await graphql.stop();
    },
  };
}
