import { startResolver } from '../../resolver/start-resolver.js';
import type { CommandContext } from '../command.js';
import { openRuntime } from '../runtime.js';
import { waitForShutdown } from './start.js';

/** `strongroom resolver`: the gRPC resolver alone, on STRONGROOM_RESOLVER_PORT. */
export async function resolverCommand(context: CommandContext): Promise<number> {
  const { config, logger, out } = context;
  const runtime = await openRuntime(config, logger);
  let resolver;
  try {
    resolver = await startResolver(runtime);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  out(`Strongroom resolver (${config.mode}) data dir ${config.dataDir}`);
  for (const line of resolver.summary) out(line);
  await waitForShutdown();
  logger.info('shutting down');
  await resolver.close();
  await runtime.close();
  return 0;
}
