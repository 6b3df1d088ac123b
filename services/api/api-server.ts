import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FailedAuthentications } from '../core/auth/failed-authentications.js';
import type { Logger } from '../core/logging/logger.js';
import type { TokenVerifier } from './auth/token-verifier.js';
import { createConsoleRoutes } from './console-route.js';
import { createContextFactory, type ApiServices } from './graphql-context.js';
import { createGraphQLHttpRoute, type GraphQLResponseInfo, type HttpLimits } from './graphql-http-route.js';
import { createGraphQLServer, loadTypeDefs } from './graphql-server.js';
import { createHealthRoutes, type ReadinessChecks } from './health-routes.js';
import { createRouteServer, sendJson, type HttpRoute, type RouteServer } from '../core/http/route-server.js';
import type { Metrics } from '../core/metrics/metrics.js';
import { metricsHttpHandler } from '../core/metrics/metrics-http-handler.js';

/** schema/ beside the sources (tsx) or beside dist/ (compiled build). */
export const SCHEMA_DIR =
  [new URL('../../schema/', import.meta.url), new URL('../../../schema/', import.meta.url)]
    .map((url) => fileURLToPath(url))
    .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../schema/', import.meta.url));

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
  services,
  verifyToken,
  failedAuthentications,
  logger,
  production,
  readiness,
  extraRoutes = {},
  limits,
  onResponse,
  metrics,
  consoleDir,
}: {
  services: ApiServices;
  verifyToken: TokenVerifier;
  /** Where failed authentications are limited and recorded; `stop` writes what it still holds. */
  failedAuthentications: FailedAuthentications;
  logger: Logger;
  /** Production GraphQL: no introspection, no landing page. */
  production: boolean;
  /** What /readyz asks. */
  readiness: ReadinessChecks;
  /** The built admin console served at `/` (default dist/console, when built); `false` serves none. */
  consoleDir?: string | false;
  /** When given, /metrics serves its registry and every GraphQL request is counted and timed. */
  metrics?: Metrics;
  extraRoutes?: Record<string, HttpRoute>;
  limits?: HttpLimits;
  onResponse?: (info: GraphQLResponseInfo) => void;
}): Promise<ApiServer> {
  const graphql = createGraphQLServer({
    typeDefs: loadTypeDefs(SCHEMA_DIR),
    logger,
    production,
  });
  await graphql.start();
  const buildContext = createContextFactory({ services, verifyToken, failedAuthentications });
  failedAuthentications.start();
  const health = createHealthRoutes(readiness);
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
      logger,
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
  const http = createRouteServer({ logger, routes });
  return {
    ...http,
    drain() {
      draining = true;
    },
    async stop(graceMs) {
      await http.close(graceMs);
      await graphql.stop();
      await failedAuthentications.close().catch(() => {});
    },
  };
}
