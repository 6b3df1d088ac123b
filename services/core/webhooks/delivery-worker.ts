import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ClaimedDelivery, WebhookStore } from '../../storage/webhook-store.js';
import type { EnvelopeCipher } from '../crypto/envelope-cipher.js';
import type { Logger } from '../logging/logger.js';
import { signingSecretContext } from './signing-secret.js';
import {
  DeliveryError,
  postWebhook,
  type DeliveryResponse,
  type DestinationPolicy,
} from './webhook-destination.js';

/** SPEC §5.2: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h between attempts. */
export const RETRY_SCHEDULE_MS = [5e3, 300e3, 1_800e3, 7_200e3, 18_000e3, 36_000e3, 36_000e3];
/** An endpoint failing this long without a success is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000;
export const DELIVERY_TIMEOUT_MS = 15_000;

export interface DeliveryWorkerOptions {
  webhookStore: Pick<WebhookStore, 'claimDue' | 'recordAttempt'>;
  cipher: Pick<EnvelopeCipher, 'open'>;
  policy: DestinationPolicy;
  logger?: Pick<Logger, 'warn' | 'error'>;
  clock?: () => Date;
  /** Also scheduled events (expiring, expired, rotation_due) each round. */
  onRound?: () => Promise<void>;
  workerId?: string;
  retryScheduleMs?: readonly number[];
  timeoutMs?: number;
  /** Deliveries claimed (and sent concurrently) per round. */
  batchSize?: number;
  /** Pause between rounds that found nothing to do. */
  pollMs?: number;
  random?: () => number;
}

/**
 * The delivery worker (SPEC §5.2): claims due deliveries under a lease, signs each with
 * its endpoint's `whsec_` secret (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`), sends it once, records the attempt, and decides what next: done
 * on 2xx; the endpoint disabled on 410 or after five days of failures; otherwise again
 * after the next delay of the schedule (±20% jitter, or later if Retry-After says so),
 * failed for good once the schedule is spent. At least once: a worker killed after
 * sending but before recording sends again when its lease runs out.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions) {
  const { webhookStore, cipher, policy } = options;
  const clock = options.clock ?? (() => new Date());
  const workerId = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  const schedule = options.retryScheduleMs ?? RETRY_SCHEDULE_MS;
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const batchSize = options.batchSize ?? 16;
  const pollMs = options.pollMs ?? 500;
  const random = options.random ?? Math.random;
  const leaseMs = timeoutMs * 2 + 5_000;

  async function deliver(claimed: ClaimedDelivery): Promise<void> {
    const { event, endpoint } = claimed;
    const started = clock();
    let response: DeliveryResponse | undefined;
    let errorClass: string | null = null;
    try {
      const secret = await cipher.open(
        endpoint.sealedSecret,
        signingSecretContext(endpoint.workspaceId, endpoint.id, endpoint.secretVersion),
      );
      // The message is signed at send time: receivers reject stale timestamps.
      const signature = new Webhook(secret.slice('whsec_'.length)).sign(event.id, started, event.payload);
      response = await postWebhook(
        policy,
        endpoint.url,
        {
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(started.getTime() / 1000)),
          'webhook-signature': signature,
          'user-agent': 'Strongroom-Webhooks/1',
        },
        event.payload,
        timeoutMs,
      );
      if (response.statusCode < 200 || response.statusCode >= 300) errorClass = `HTTP_${response.statusCode}`;
    } catch (error) {
      errorClass = error instanceof DeliveryError ? error.errorClass : 'INTERNAL';
      if (!(error instanceof DeliveryError))
        options.logger?.error({ deliveryId: claimed.id, error }, 'webhook delivery failed');
    }
    const finished = clock();
    const attempts = claimed.attempts + 1;
    const ok = errorClass === null;
    let disable: string | undefined;
    let failingSince = ok ? null : (endpoint.failingSince ?? started);
    if (response?.statusCode === 410) disable = 'gone';
    else if (!ok && finished.getTime() - failingSince!.getTime() >= DISABLE_AFTER_MS) disable = 'failing';
    if (disable) failingSince = null;
    let nextAttemptAt = finished;
    let status: 'pending' | 'delivered' | 'failed' = ok ? 'delivered' : 'pending';
    if (!ok && (disable || attempts > schedule.length)) status = 'failed';
    if (status === 'pending') {
      const base = schedule[attempts - 1]!;
      const jittered = base * (0.8 + 0.4 * random());
      const asked = (response?.retryAfterSeconds ?? 0) * 1000;
      nextAttemptAt = new Date(finished.getTime() + Math.max(jittered, asked));
    }
    if (disable)
      options.logger?.warn({ endpointId: endpoint.id, reason: disable }, 'webhook endpoint disabled');
    await webhookStore.recordAttempt(
      claimed.claim,
      {
        deliveryId: claimed.id,
        attemptedAt: started,
        statusCode: response?.statusCode ?? null,
        durationMs: finished.getTime() - started.getTime(),
        errorClass,
        responseExcerpt: response ? response.excerpt : null,
        worker: workerId,
      },
      { status, nextAttemptAt },
      { id: endpoint.id, failingSince, disable },
    );
  }

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<number> | undefined;

  /** One round: claims what is due and delivers it. Returns how many deliveries it made. */
  async function runOnce(): Promise<number> {
    await options.onRound?.();
    const now = clock();
    const claim = `${workerId}/${randomUUID().slice(0, 8)}`;
    const claimed = await webhookStore.claimDue(claim, now, new Date(now.getTime() + leaseMs), batchSize);
    await Promise.all(claimed.map(deliver));
    return claimed.length;
  }

  function schedule_(delay: number) {
    if (!running) return;
    timer = setTimeout(() => {
      round = runOnce().catch((error: unknown) => {
        options.logger?.error({ error }, 'webhook delivery round failed');
        return 0;
      });
      void round.then((made) => schedule_(made > 0 ? 0 : pollMs));
    }, delay);
  }

  return {
    workerId,
    runOnce,
    /** Runs rounds until `stop`: at once after a busy round, after `pollMs` after an idle one. */
    start() {
      if (running) return;
      running = true;
      schedule_(0);
    },
    /** Stops after the round in progress, if any, has finished. */
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await round;
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
