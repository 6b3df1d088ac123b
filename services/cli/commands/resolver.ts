import { createOpsHttpServer, type OpsHttpServer } from '../../resolver/ops-http-server.js';
import { startResolver, type StartedResolver } from '../../app/resolver-app.js';
import type { CommandContext } from '../command.js';
import { openRuntime } from '../../app/runtime.js';
import { SHUTDOWN_GRACE_MS, waitForShutdown } from '../shutdown.js';

/**
 * `strongroom resolver`: the gRPC resolver alone, on STRONGROOM_RESOLVER_PORT (mTLS), with
 * `/metrics`, `/healthz` and `/readyz` on STRONGROOM_RESOLVER_METRICS_PORT (plain HTTP).
 * On SIGTERM or SIGINT: readiness turns 503, the gRPC server stops accepting and lets
 * calls in flight finish (bounded), lastUsedAt is flushed, the database closed, exit 0.
 */
export async function resolverCommand(context: CommandContext): Promise<number> {
  const { config, logger, out } = context;
  const runtime = await openRuntime(config, logger);
  const { metrics } = runtime;
  let resolver: StartedResolver | undefined;
  let ops: OpsHttpServer | undefined;
  let opsPort: number;
  try {
    resolver = await startResolver(runtime);
    ops = createOpsHttpServer({
      registry: metrics.registry,
      isReady: resolver.isReady,
      readiness: resolver.readiness,
      logger,
    });
    opsPort = await ops.listen(config.resolverMetricsPort);
  } catch (error) {
    // Without this an open socket would keep a half-started process alive.
    await resolver?.close(0);
    await runtime.close();
    throw error;
  }
  out(`Strongroom resolver (${config.mode}) data dir ${config.dataDir}`);
  for (const line of resolver.summary) out(line);
  out(`  Ops (HTTP):  http://localhost:${opsPort}/metrics  /healthz  /readyz`);
  // Signed audit checkpoints while serving (SPEC §8.1); the last one at `runtime.close()`.
  runtime.checkpoints.start();
  await waitForShutdown();
  logger.info({ graceMs: SHUTDOWN_GRACE_MS }, 'shutting down: draining calls in flight');
  ops.drain();
  await resolver.close(SHUTDOWN_GRACE_MS);
  await ops.close();
  await runtime.close();
  logger.info('stopped');
  return 0;
}
