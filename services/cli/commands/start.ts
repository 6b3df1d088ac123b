import { createApiServer, createVerifierFor } from '../../api/api-server.js';
import { startResolver } from '../../resolver/start-resolver.js';
import type { CommandContext } from '../command.js';
import { openRuntime } from '../runtime.js';

/** `strongroom start`: the development all-in-one process (API and resolver in one process). */
export async function startCommand(context: CommandContext): Promise<number> {
  const { config, logger, out } = context;
  const runtime = await openRuntime(config, logger);
  const verifyToken = await createVerifierFor(config, logger);
  const http = await createApiServer({ runtime, verifyToken, metrics: runtime.metrics });
  const port = await http.listen(config.apiPort);
  out(`Strongroom (${config.mode}) data dir ${config.dataDir}`);
  out(`  GraphQL API: http://localhost:${port}/graphql   (health /healthz, readiness /readyz)`);
  if (config.mode === 'development') {
    out('  Call it:');
    out('    TOKEN=$(npm run --silent strongroom -- token dev --sub alice --workspace ws1 --role admin)');
    out(
      `    curl -s localhost:${port}/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    );
    out(
      `      -d '{"query":"mutation { createSecret(input: {name: \\"STRIPE_KEY\\", value: \\"sk_test_123\\"}) { id version maskedPreview } }"}'`,
    );
  }
  let resolver;
  try {
    resolver = await startResolver(runtime);
  } catch (error) {
    // Without this the API's open socket would keep a half-started process alive.
    await http.stop();
    await runtime.close();
    throw error;
  }
  for (const line of resolver.summary) out(line);
  await waitForShutdown();
  logger.info('shutting down');
  await resolver.close();
  await http.stop();
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
