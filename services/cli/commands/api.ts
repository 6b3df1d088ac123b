import { createApiServerFor, createVerifierFor } from '../../app/api-app.js';
import { openRuntime } from '../../app/runtime.js';
import type { CommandContext } from '../command.js';
import { SHUTDOWN_GRACE_MS, waitForShutdown } from '../shutdown.js';

/**
 * `strongroom api`: the GraphQL API alone (one replica of the API tier). On SIGTERM or
 * SIGINT: readiness turns 503, the server stops accepting connections and lets requests
 * in flight finish (bounded), then the database is closed and the process exits 0.
 */
export async function apiCommand(context: CommandContext): Promise<number> {
  const { config, logger, out } = context;
  const runtime = await openRuntime(config, logger);
  let api;
  let port: number;
  try {
    const verifyToken = await createVerifierFor(config, logger);
    api = await createApiServerFor(runtime, { verifyToken, metrics: runtime.metrics });
    port = await api.listen(config.apiPort);
  } catch (error) {
    // Without this the open pool (or a bound port) would keep a half-started process alive.
    await api?.stop(0);
    await runtime.close();
    throw error;
  }
  out(`Strongroom API (${config.mode}) listening on http://localhost:${port}/graphql`);
  // Signed audit checkpoints while serving (SPEC §8.1); the last one at `runtime.close()`.
  runtime.checkpoints.start();
  await waitForShutdown();
  logger.info({ graceMs: SHUTDOWN_GRACE_MS }, 'shutting down: draining requests in flight');
  api.drain();
  await api.stop(SHUTDOWN_GRACE_MS);
  await runtime.close();
  logger.info('stopped');
  return 0;
}
