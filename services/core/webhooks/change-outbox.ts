import type { EntityManager } from 'typeorm';
import type { WebhookStore } from '../../storage/webhook-store.js';
import type { AuditEventInput } from '../audit/audit-event.js';
import type { AuditLog } from '../audit/audit-log.js';
import { changeEventsOf, eventBody, newEventId, type ChangeEvent } from './change-events.js';

/**
 * The outbox (SPEC §5.2): writes events, and a pending delivery to every enabled
 * endpoint of the workspace subscribed to each, in the caller's transaction. Delivery
 * is the worker's; nothing here waits on a receiver.
 */
export function createChangeOutbox({
  webhookStore,
  clock = () => new Date(),
}: {
  webhookStore: Pick<WebhookStore, 'subscribersOf' | 'insertEvents'>;
  clock?: () => Date;
}) {
  return {
    async publish(tx: EntityManager, events: readonly ChangeEvent[]): Promise<void> {
      if (events.length === 0) return;
      const now = clock();
      const subscribers = new Map<string, Array<{ id: string; events: string[] }>>();
      const items = [];
      for (const event of events) {
        const ws = event.data.workspaceId;
        let endpoints = subscribers.get(ws);
        if (!endpoints) subscribers.set(ws, (endpoints = await webhookStore.subscribersOf(tx, ws)));
        items.push({
          event: {
            id: newEventId(),
            workspaceId: ws,
            type: event.type,
            payload: eventBody(event),
            occurredAt: event.occurredAt,
            dedupeKey: event.dedupeKey ?? null,
          },
          endpointIds: endpoints
            .filter((e) => e.events.length === 0 || e.events.includes(event.type))
            .map((e) => e.id),
        });
      }
      await webhookStore.insertEvents(tx, items, now);
    },
  };
}

export type ChangeOutbox = ReturnType<typeof createChangeOutbox>;

/**
 * An audit log whose `append` also publishes the change events its records report, in
 * the same transaction (see changeEventsOf). `appendCommitted` (resolves, refusals)
 * publishes nothing: no change is committed with it.
 */
export function publishingChanges<L extends Pick<AuditLog, 'append'>>(
  auditLog: L,
  outbox: Pick<ChangeOutbox, 'publish'>,
  clock: () => Date = () => new Date(),
): L {
  return {
    ...auditLog,
    async append(tx: EntityManager, inputs: AuditEventInput[]) {
      const chained = await auditLog.append(tx, inputs);
      await outbox.publish(tx, changeEventsOf(inputs, clock()));
      return chained;
    },
  };
}
