import { createApiServer, createVerifierFor } from '../../api/api-server.js';
import type { CommandContext } from '../command.js';
import { openRuntime } from '../runtime.js';
import { waitForShutdown } from './start.js';

/** `strongroom api`: the GraphQL API alone (one replica of the API tier). */
export async function apiCommand(context: CommandContext): Promise<number> {
  const { config, logger, out } = context;
  const runtime = await openRuntime(config, logger);
  const verifyToken = await createVerifierFor(config, logger);
  const api = await createApiServer({ runtime, verifyToken, metrics: runtime.metrics });
  const port = await api.listen(config.apiPort);
  out(`Strongroom API (${config.mode}) listening on http://localhost:${port}/graphql`);
  await waitForShutdown();
  logger.info('shutting down');
  await api.stop();
  await runtime.close();
  return 0;
}
