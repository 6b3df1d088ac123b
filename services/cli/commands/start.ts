import { createApiHttpServer } from '../../api/http-server.js';
import { createHealthRoutes } from '../../api/health-routes.js';
import { startResolver } from '../../resolver/start-resolver.js';
import type { CommandContext } from '../command.js';
import { openRuntime } from '../runtime.js';

/** `strongroom start`: the development all-in-one process (API and resolver in one process). */
export async function startCommand(context: CommandContext): Promise<number> {
  const { config, logger, out } = context;
  const runtime = await openRuntime(config, logger);
  const http = createApiHttpServer({ routes: createHealthRoutes(runtime), logger });
  const port = await http.listen(config.apiPort);
  out(`Strongroom (${config.mode}) data dir ${config.dataDir}`);
  out(`  API health:  http://localhost:${port}/healthz   readiness: http://localhost:${port}/readyz`);
  let resolver;
  try {
    resolver = await startResolver(runtime);
  } catch (error) {
    // Without this the API's open socket would keep a half-started process alive.
    await http.close();
    await runtime.close();
    throw error;
  }
  for (const line of resolver.summary) out(line);
  await waitForShutdown();
  logger.info('shutting down');
  await resolver.close();
  await http.close();
  await runtime.close();
  return 0;
}

/** Resolves on the first SIGTERM or SIGINT. */
export function waitForShutdown(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
