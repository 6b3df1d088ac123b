import type { DestinationPolicy } from '../core/webhooks/webhook-destination.js';
import { createChangeOutbox } from '../core/webhooks/change-outbox.js';
import { createDeliveryWorker, type DeliveryWorkerOptions } from '../core/webhooks/delivery-worker.js';
import { createLifecycleScheduler } from '../core/webhooks/lifecycle-scheduler.js';
import { createWebhookStore } from '../storage/webhook-store.js';
import type { Runtime } from './runtime.js';

/** The destinations the configuration allows (SPEC §5.2). */
export const destinationPolicyOf = (config: Runtime['config']): DestinationPolicy => ({
  allowedHosts: new Set(config.webhooks.allowedHosts),
  allowLoopback: config.webhooks.allowLoopback,
});

/**
 * The delivery worker over a runtime, with the lifecycle scheduler run before each
 * round: what `strongroom webhooks` runs, and `strongroom start` beside the API. Several
 * may run on one database: claims are leased, scheduled events are once-only.
 */
export function createWebhookWorkerFor(
  runtime: Pick<Runtime, 'dataSource' | 'secretStore' | 'cipher' | 'config' | 'logger'>,
  overrides: Partial<DeliveryWorkerOptions> = {},
) {
  const webhookStore = createWebhookStore({ dataSource: runtime.dataSource });
  const scheduler = createLifecycleScheduler({
    webhookStore,
    outbox: createChangeOutbox({ webhookStore }),
    // A publish that lost certification to the same event on another Galera node runs again and finds it published.
    transaction: runtime.secretStore.retryingTransaction,
  });
  // Scheduled events are looked for at most once a minute; deliveries every round.
  let lastScan = 0;
  return createDeliveryWorker({
    webhookStore,
    cipher: runtime.cipher,
    policy: destinationPolicyOf(runtime.config),
    logger: runtime.logger,
    pollMs: runtime.config.webhooks.pollMs,
    onRound: async () => {
      if (Date.now() - lastScan < 60_000) return;
      lastScan = Date.now();
      await scheduler.runOnce();
    },
    ...overrides,
  });
}
