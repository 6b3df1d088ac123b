import type { EntityManager } from 'typeorm';
import type { WebhookStore } from '../../storage/webhook-store.js';
import { isStorageError } from '../../storage/storage-errors.js';
import type { ChangeEvent } from './change-events.js';
import type { ChangeOutbox } from './change-outbox.js';

const DAY_MS = 24 * 3600 * 1000;
/** `secret.expiring` is published this many days before expiry (SPEC §5.2), the nearest passed one only. */
export const EXPIRING_THRESHOLDS_DAYS = [1, 7, 30] as const;
const PAGE = 500;

/** The scheduled events a secret is owed at `now`, each with the key that makes it once-only. */
export function scheduledEventsOf(
  secret: {
    id: string;
    workspaceId: string;
    name: string;
    version: number;
    expiresAt: Date | null;
    rotationDueAt: Date | null;
  },
  now: Date,
): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  const data = {
    workspaceId: secret.workspaceId,
    secretId: secret.id,
    name: secret.name,
    scope: 'WORKSPACE',
    version: secret.version,
  };
  if (secret.expiresAt) {
    const at = secret.expiresAt.getTime();
    if (at <= now.getTime()) {
      events.push({
        type: 'secret.expired',
        occurredAt: now,
        data: { ...data, expiresAt: secret.expiresAt.toISOString() },
        dedupeKey: `secret.expired:${secret.id}:${at}`,
      });
    } else {
      // Only the nearest threshold passed: a secret made to expire in ten hours gets the
      // one-day notice, not all three at once.
      const days = EXPIRING_THRESHOLDS_DAYS.find((d) => at - now.getTime() <= d * DAY_MS);
      if (days !== undefined)
        events.push({
          type: 'secret.expiring',
          occurredAt: now,
          data: { ...data, expiresAt: secret.expiresAt.toISOString(), daysBefore: days },
          dedupeKey: `secret.expiring:${days}:${secret.id}:${at}`,
        });
    }
  }
  if (secret.rotationDueAt && secret.rotationDueAt.getTime() <= now.getTime()) {
    events.push({
      type: 'secret.rotation_due',
      occurredAt: now,
      data: { ...data, rotationDueAt: secret.rotationDueAt.toISOString() },
      dedupeKey: `secret.rotation_due:${secret.id}:${secret.rotationDueAt.getTime()}`,
    });
  }
  return events;
}

/**
 * Publishes scheduled events (`secret.expiring`, `secret.expired`, `secret.rotation_due`)
 * exactly once per threshold: each goes in its own transaction with a unique
 * `dedupe_key`, so when several workers find the same one, one insert wins and the
 * others' roll back. A new expiry or due date is a new key, so it is announced again.
 */
export function createLifecycleScheduler({
  webhookStore,
  outbox,
  transaction,
  clock = () => new Date(),
}: {
  webhookStore: Pick<WebhookStore, 'lifecycleCandidates' | 'publishedKeys'>;
  outbox: Pick<ChangeOutbox, 'publish'>;
  transaction: <T>(work: (tx: EntityManager) => Promise<T>) => Promise<T>;
  clock?: () => Date;
}) {
  return {
    /** One scan; returns how many events it published. */
    async runOnce(): Promise<number> {
      const now = clock();
      let published = 0;
      for (let afterId = ''; ;) {
        const secrets = await webhookStore.lifecycleCandidates(
          { expiringBefore: new Date(now.getTime() + 30 * DAY_MS), dueBefore: now, afterId },
          PAGE,
        );
        if (secrets.length === 0) return published;
        const owed = secrets.flatMap((s) => scheduledEventsOf(s, now));
        const done = await webhookStore.publishedKeys(owed.map((e) => e.dedupeKey!));
        for (const event of owed) {
          if (done.has(event.dedupeKey!)) continue;
          try {
            await transaction((tx) => outbox.publish(tx, [event]));
            published += 1;
          } catch (error) {
            // Another worker published it first.
            if (!isStorageError(error, 'unique-violation')) throw error;
          }
        }
        afterId = secrets.at(-1)!.id;
      }
    },
  };
}

export type LifecycleScheduler = ReturnType<typeof createLifecycleScheduler>;
