import { isConsoleBuilt } from '../../api/console-route.js';
import { createApiServerFor, createVerifierFor } from '../../app/api-app.js';
import { startResolver } from '../../app/resolver-app.js';
import { createWebhookWorkerFor } from '../../app/webhook-app.js';
import { openRuntime } from '../../app/runtime.js';
import { ensureConsoleBuilt } from '../console-build.js';
import { devConsoleSignInLink } from '../console-sign-in.js';
import type { CommandContext } from '../command.js';
import { SHUTDOWN_GRACE_MS, waitForShutdown } from '../shutdown.js';

/**
 * `strongroom start`: the development all-in-one process (API and resolver in one process).
 * It stops as `strongroom api` and `strongroom resolver` do: not ready first, then both
 * drain their requests in flight together.
 */
export async function startCommand(context: CommandContext): Promise<number> {
  const { config, logger, out } = context;
  // Before the server starts, so that it serves the console of the current sources.
  await ensureConsoleBuilt({ say: out }).catch((error: unknown) =>
    logger.warn({ err: error }, 'the admin console could not be built; the API starts without it'),
  );
  const runtime = await openRuntime(config, logger);
  const verifyToken = await createVerifierFor(config, logger);
  const http = await createApiServerFor(runtime, { verifyToken, metrics: runtime.metrics });
  const port = await http.listen(config.apiPort);
  out(`Strongroom (${config.mode}) data dir ${config.dataDir}`);
  out(`  GraphQL API: http://localhost:${port}/graphql   (health /healthz, readiness /readyz)`);
  if (config.mode === 'development' && isConsoleBuilt()) {
    out(`  Admin console (development sign-in link): ${await devConsoleSignInLink(config, port)}`);
  }
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
  // Signed audit checkpoints while serving (SPEC §8.1); the last one at `runtime.close()`.
  runtime.checkpoints.start();
  // Change events to webhook endpoints (SPEC §5.2).
  const webhooks = createWebhookWorkerFor(runtime);
  webhooks.start();
  out(`  Webhook delivery worker ${webhooks.workerId}`);
  await waitForShutdown();
  await webhooks.stop();
  logger.info({ graceMs: SHUTDOWN_GRACE_MS }, 'shutting down: draining requests in flight');
  http.drain();
  await Promise.all([resolver.close(SHUTDOWN_GRACE_MS), http.stop(SHUTDOWN_GRACE_MS)]);
  await runtime.close();
  logger.info('stopped');
  return 0;
}
