import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from '../core/logging/logger.js';
import type { Metrics } from '../core/metrics/metrics.js';
import type { ResolutionService } from '../core/resolution/resolution-service.js';
import { instrumentUnary } from './call-metrics.js';
import { createHealthCheckHandler } from './health-handler.js';
import { createResolveHandler } from './resolve-handler.js';
import { healthDefinition, secretResolverDefinition } from '../protocol/service-definitions.js';
import type { RunnerIdentityRule } from './runner-identity.js';
import { createRunnerConnections, DEFAULT_HANDSHAKE_TIMEOUT_MS } from './tls/runner-connections.js';

/** A running (or ready to run) resolver. */
export interface ResolverServer {
  /** Binds with mTLS; resolves to the bound port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  /** Serves with a new certificate revocation list; returns how many open connections it cut. */
  updateRevocationList(crlPem: Buffer): number;
  /** Stops accepting calls, lets calls in flight finish for `graceMs`, then cuts them. */
  close(graceMs?: number): Promise<void>;
}

/**
 * What one client may hold of the resolver. Each bounds a way a hostile or broken
 * client could tie up sockets or memory while good runners wait.
 */
export interface ResolverLimits {
  /** A request is a run context and at most 100 names of at most 128 characters. */
  maxRequestBytes: number;
  /** A TCP client that never finishes (or never starts) its TLS handshake is cut after this. */
  handshakeTimeoutMs: number;
  /** Calls in flight on one connection; further streams are refused by HTTP/2 itself. */
  maxConcurrentStreams: number;
  /** A connection with no call in flight for this long is closed (runners reconnect on demand). */
  maxConnectionIdleMs: number;
  /**
   * Every connection is closed after this long, plus `maxConnectionAgeGraceMs` for calls in
   * flight: the only bound on a stream that is opened and never finished.
   */
  maxConnectionAgeMs: number;
  maxConnectionAgeGraceMs: number;
  /** The server pings quiet connections this often and drops one that does not answer in time. */
  keepaliveTimeMs: number;
  keepaliveTimeoutMs: number;
}

export const DEFAULT_RESOLVER_LIMITS: ResolverLimits = {
  maxRequestBytes: 64 * 1024,
  handshakeTimeoutMs: DEFAULT_HANDSHAKE_TIMEOUT_MS,
  maxConcurrentStreams: 100,
  maxConnectionIdleMs: 5 * 60_000,
  maxConnectionAgeMs: 30 * 60_000,
  maxConnectionAgeGraceMs: 30_000,
  keepaliveTimeMs: 2 * 60_000,
  keepaliveTimeoutMs: 20_000,
};

/** The grpc-js server options for `limits` (the handshake timeout is the TLS listener's). */
export function grpcServerOptions(limits: ResolverLimits) {
  return {
    'grpc.max_receive_message_length': limits.maxRequestBytes,
    'grpc.max_concurrent_streams': limits.maxConcurrentStreams,
    'grpc.max_connection_idle_ms': limits.maxConnectionIdleMs,
    'grpc.max_connection_age_ms': limits.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': limits.maxConnectionAgeGraceMs,
    'grpc.keepalive_time_ms': limits.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': limits.keepaliveTimeoutMs,
    // No channelz service is served, so its per-call and per-message bookkeeping
    // (counters and timestamps on every call) would be kept for nobody.
    'grpc.enable_channelz': 0,
  };
}

/**
 * The gRPC resolver: SecretResolver and grpc.health.v1.Health on one mTLS port. With
 * `metrics`, every call is counted and timed (operations `Resolve` and `Check`), and
 * every connection refused at the TLS handshake is counted by reason.
 * `limits` overrides some of DEFAULT_RESOLVER_LIMITS (tests shorten the timers).
 */
export function createResolverServer({
  resolutionService,
  logger,
  tls,
  identityRule = 'uri-or-cn',
  revocationListPem,
  isReady = async () => true,
  metrics,
  limits: overrides = {},
}: {
  resolutionService: Pick<ResolutionService, 'resolveForRun'>;
  logger: Logger;
  tls: { certPem: Buffer; keyPem: Buffer; runnerCaPem: Buffer };
  /** Which certificate names identify a runner (STRONGROOM_RUNNER_IDENTITY). */
  identityRule?: RunnerIdentityRule;
  /** The runner CA's revocation list (PEM), if there is one (STRONGROOM_RUNNER_CRL). */
  revocationListPem?: Buffer;
  isReady?: () => Promise<boolean>;
  metrics?: Pick<Metrics, 'requestsTotal' | 'requestDuration' | 'tlsRefusalsTotal'>;
  limits?: Partial<ResolverLimits>;
}): ResolverServer {
  const limits = { ...DEFAULT_RESOLVER_LIMITS, ...overrides };
  const server = new Server(grpcServerOptions(limits));
  // TLS is ours (see runner-connections.ts): grpc-js speaks HTTP/2 over the verified
  // sockets it is handed, so its side of the connection is plaintext by construction.
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const connections = createRunnerConnections({
    tls,
    identityRule,
    revocationListPem,
    handshakeTimeoutMs: limits.handshakeTimeoutMs,
    onConnection: (socket) => injector.injectConnection(socket),
    onRefused: metrics && ((reason) => metrics.tlsRefusalsTotal.inc({ reason })),
  });
  const resolve = createResolveHandler({
    resolutionService,
    logger,
    runnerOf: (peer) => connections.runnerOf(peer),
    identityRule,
  });
  const check = createHealthCheckHandler({ isReady });
  server.addService(secretResolverDefinition, {
    resolve: metrics ? instrumentUnary(resolve, { metrics, operation: 'Resolve' }) : resolve,
  });
  server.addService(healthDefinition, {
    check: metrics ? instrumentUnary(check, { metrics, operation: 'Check' }) : check,
  });

  return {
    listen: (port, host = '0.0.0.0') => connections.listen(port, host),
    updateRevocationList: (crlPem) => connections.updateRevocationList(crlPem),
    close: (graceMs = 10_000) =>
      new Promise((resolve) => {
        void connections.stopAccepting();
        const force = setTimeout(() => {
          server.forceShutdown();
          void connections.stopAccepting({ cutAll: true });
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          // Connections still handshaking (bounded by the handshake timeout) go too.
          void connections.stopAccepting({ cutAll: true });
          resolve();
        });
      }),
  };
}
