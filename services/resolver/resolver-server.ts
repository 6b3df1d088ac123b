import { Server } from '@grpc/grpc-js';
import type { Logger } from '../core/logging/logger.js';
import type { Metrics } from '../core/metrics/metrics.js';
import type { ResolutionService } from '../core/resolution/resolution-service.js';
import { instrumentUnary } from './call-metrics.js';
import { createHealthCheckHandler } from './health-handler.js';
import { createResolveHandler } from './resolve-handler.js';
import { healthDefinition, secretResolverDefinition } from './service-definitions.js';
import { createRunnerServerCredentials } from './tls/server-credentials.js';

/** A running (or ready to run) resolver. */
export interface ResolverServer {
  /** Binds with mTLS; resolves to the bound port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting calls, lets calls in flight finish for `graceMs`, then cuts them. */
  close(graceMs?: number): Promise<void>;
}

// A request is a run context and at most 100 names of at most 128 characters.
const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * The gRPC resolver: SecretResolver and grpc.health.v1.Health on one mTLS port. With
 * `metrics`, every call is counted and timed (operations `Resolve` and `Check`).
 */
export function createResolverServer({
  resolutionService,
  logger,
  tls,
  isReady = async () => true,
  metrics,
}: {
  resolutionService: Pick<ResolutionService, 'resolveForRun'>;
  logger: Logger;
  tls: { certPem: Buffer; keyPem: Buffer; runnerCaPem: Buffer };
  isReady?: () => Promise<boolean>;
  metrics?: Pick<Metrics, 'requestsTotal' | 'requestDuration'>;
}): ResolverServer {
  const server = new Server({ 'grpc.max_receive_message_length': MAX_REQUEST_BYTES });
  const resolve = createResolveHandler({ resolutionService, logger });
  const check = createHealthCheckHandler({ isReady });
  server.addService(secretResolverDefinition, {
    resolve: metrics ? instrumentUnary(resolve, { metrics, operation: 'Resolve' }) : resolve,
  });
  server.addService(healthDefinition, {
    check: metrics ? instrumentUnary(check, { metrics, operation: 'Check' }) : check,
  });
  const credentials = createRunnerServerCredentials(tls);

  return {
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
        server.bindAsync(address, credentials, (error, boundPort) =>
          error ? reject(error) : resolve(boundPort),
        );
      }),
    close: (graceMs = 10_000) =>
      new Promise((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
