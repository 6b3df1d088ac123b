import type { Registry } from 'prom-client';
import { createRouteServer, sendJson } from '../core/http/route-server.js';
import type { Logger } from '../core/logging/logger.js';
import { metricsHttpHandler } from '../core/metrics/metrics-http-handler.js';

/** The resolver's plain-HTTP side port: `/metrics`, `/healthz`, `/readyz`. */
export interface OpsHttpServer {
  listen(port: number, host?: string): Promise<number>;
  /** From now on `/readyz` answers 503, so load balancers stop sending work during shutdown. */
  drain(): void;
  close(graceMs?: number): Promise<void>;
}

/**
 * Health and metrics for the resolver on their own plain-HTTP port. They cannot share
 * the gRPC port: it accepts only runner-CA client certificates, which Prometheus and
 * kubelet probes do not have — and must not be given. Nothing here touches a value.
 */
export function createOpsHttpServer({
  registry,
  isReady,
  readiness,
  logger,
}: {
  registry: Pick<Registry, 'metrics' | 'contentType'>;
  isReady: () => Promise<boolean>;
  /** Each check by name (database, keyring), shown in `/readyz`; without it only `database`. */
  readiness?: () => Promise<Record<string, boolean>>;
  logger: Pick<Logger, 'error'>;
}): OpsHttpServer {
  let draining = false;
  const server = createRouteServer({
    logger,
    // Probes and scrapes are tiny; a slow client must not hold sockets open.
    headersTimeoutMs: 5_000,
    requestTimeoutMs: 10_000,
    defaultGraceMs: 2_000,
    routes: {
      '/metrics': metricsHttpHandler(registry),
      '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      '/readyz': async (_req, res) => {
        const checks = draining
          ? { database: false }
          : readiness
            ? await readiness().catch(() => ({ database: false }))
            : { database: await isReady().catch(() => false) };
        const ready = !draining && Object.values(checks).every(Boolean);
        sendJson(res, ready ? 200 : 503, {
          status: ready ? 'ready' : 'unready',
          draining,
          checks,
        });
      },
    },
  });
  return {
    listen: server.listen,
    drain: () => {
      draining = true;
    },
    close: server.close,
  };
}
