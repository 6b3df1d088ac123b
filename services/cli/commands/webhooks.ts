import { createWebhookWorkerFor } from '../../app/webhook-app.js';
import { openRuntime } from '../../app/runtime.js';
import type { CommandContext } from '../command.js';
import { waitForShutdown } from '../shutdown.js';

/**
 * `strongroom webhooks`: the change-event delivery worker alone (SPEC §5.2). Any number
 * may run against one database; on SIGTERM or SIGINT it finishes the round in flight
 * and exits 0. Deliveries it had claimed but not recorded go to another worker when
 * their lease runs out.
 */
export async function webhooksCommand(context: CommandContext): Promise<number> {
  const { config, logger, out } = context;
  const runtime = await openRuntime(config, logger);
  const worker = createWebhookWorkerFor(runtime);
  worker.start();
  out(`Strongroom webhook worker ${worker.workerId} (${config.mode}) delivering`);
  await waitForShutdown();
  await worker.stop();
  await runtime.close();
  logger.info('stopped');
  return 0;
}
