import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.js';

/** A handler for one exact path. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** A started-or-not HTTP server over exact-path routes. */
export interface RouteServer {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  close(graceMs?: number): Promise<void>;
}

/** Writes a JSON body that no cache keeps. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

/**
 * Node's HTTP server with exact-path routes (anything else is a JSON 404), shared by
 * the API port and the resolver's ops port. A route that throws answers 500 and is
 * logged; the timeouts keep slow clients from holding sockets open.
 */
export function createRouteServer({
  routes,
  logger,
  headersTimeoutMs = 10_000,
  requestTimeoutMs = 30_000,
  keepAliveTimeoutMs = 65_000,
  defaultGraceMs = 10_000,
}: {
  routes: Record<string, HttpRoute>;
  logger: Pick<Logger, 'error'>;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than the idle timeouts of
   * clients and load balancers (60 s is common), so that they, not the server, close an
   * idle connection: with Node's default of 5 s the server could close one just as a
   * client sent its next request on it, which the client sees as "other side closed"
   * and a proxy as a 502.
   */
  keepAliveTimeoutMs?: number;
  defaultGraceMs?: number;
}): RouteServer {
  let closing = false;
  const server = createServer((req, res) => {
    // Once closing, a connection goes when its answer is out, not after the keep-alive timeout.
    if (closing) res.shouldKeepAlive = false;
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (!route) return sendJson(res, 404, { error: 'not found' });
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      logger.error({ err: error, path }, 'unhandled error in HTTP route');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal server error"}');
    });
  });
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = requestTimeoutMs;
  server.keepAliveTimeout = keepAliveTimeoutMs;
  return {
    server,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: (graceMs = defaultGraceMs) =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        closing = true;
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
