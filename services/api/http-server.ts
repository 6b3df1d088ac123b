import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logging/logger.js';

/** A route handled beside GraphQL on the API port. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface ApiHttpServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  close(graceMs?: number): Promise<void>;
}

/** Node's HTTP server with exact-path routes; anything else is a JSON 404. */
export function createApiHttpServer({
  routes,
  logger,
}: {
  routes: Record<string, HttpRoute>;
  logger: Logger;
}): ApiHttpServer {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      logger.error({ err: error, path }, 'unhandled error in HTTP route');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal server error"}');
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return {
    server,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: (graceMs = 10_000) =>
      new Promise((resolve) => {
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
