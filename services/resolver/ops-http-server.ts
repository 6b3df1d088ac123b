import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../core/logging/logger.js';
import { metricsHttpHandler } from '../core/metrics/metrics-http-handler.js';

/** The resolver's plain-HTTP side port: `/metrics`, `/healthz`, `/readyz`. */
export interface OpsHttpServer {
  listen(port: number, host?: string): Promise<number>;
  /** From now on `/readyz` answers 503, so load balancers stop sending work during shutdown. */
  drain(): void;
  close(graceMs?: number): Promise<void>;
}

const json = (res: ServerResponse, statusCode: number, body: unknown): void => {
  res
    .writeHead(statusCode, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
};

/**
 * Health and metrics for the resolver on their own plain-HTTP port. They cannot share
 * the gRPC port: it accepts only runner-CA client certificates, which Prometheus and
 * kubelet probes do not have — and must not be given. Nothing here touches a value.
 */
export function createOpsHttpServer({
  registry,
  isReady,
  logger,
}: {
  registry: Pick<Registry, 'metrics' | 'contentType'>;
  isReady: () => Promise<boolean>;
  logger: Pick<Logger, 'error'>;
}): OpsHttpServer {
  let draining = false;
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void> = {
    '/metrics': metricsHttpHandler(registry),
    '/healthz': (_req, res) => json(res, 200, { status: 'ok' }),
    '/readyz': async (_req, res) => {
      const database = draining ? false : await isReady().catch(() => false);
      const ready = !draining && database;
      json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unready', draining, checks: { database } });
    },
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (!route) return json(res, 404, { error: 'not found' });
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      logger.error({ err: error, path }, 'unhandled error on the ops port');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal server error"}');
    });
  });
  // Probes and scrapes are tiny; a slow client must not hold sockets open.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;

  return {
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    drain: () => {
      draining = true;
    },
    close: (graceMs = 2_000) =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
