import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../audit/audit-event.js';

/** The event types of SPEC §5.2. */
export const CHANGE_EVENT_TYPES = [
  'secret.created',
  'secret.rotated',
  'secret.updated',
  'secret.deleted',
  'secret.restored',
  'secret.members_changed',
  'secret.expiring',
  'secret.expired',
  'secret.rotation_due',
  'webhook.test',
] as const;

export type ChangeEventType = (typeof CHANGE_EVENT_TYPES)[number];

/** What an event says about a secret: never a value, nor a preview. */
export interface ChangeEventData {
  workspaceId: string;
  secretId?: string;
  name?: string;
  scope?: string;
  version?: number;
  actorId?: string;
  [extra: string]: unknown;
}

/** One event to publish. */
export interface ChangeEvent {
  type: ChangeEventType;
  occurredAt: Date;
  data: ChangeEventData;
  /** Scheduled events only: what makes the event once-only. */
  dedupeKey?: string;
}

/** A Standard Webhooks message id. */
export const newEventId = (): string => `msg_${randomUUID().replaceAll('-', '')}`;

/** The body sent, `{ type, timestamp, data }`: exactly these bytes are signed. */
export const eventBody = (event: ChangeEvent): string =>
  JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });

/** Which audit actions (successful ones) publish which events. */
function typesOf(record: AuditEventInput): ChangeEventType[] {
  switch (record.action) {
    case 'secret.create':
      return ['secret.created'];
    case 'secret.update_value':
      return ['secret.rotated'];
    case 'secret.update':
      return ['secret.updated'];
    case 'secret.delete':
    case 'secret.revoke_system':
      return ['secret.deleted'];
    case 'secret.import':
      return [record.reason === 'created' ? 'secret.created' : 'secret.rotated'];
    case 'secret.register_system':
      return [record.reason === 'refresh' ? 'secret.rotated' : 'secret.created'];
    case 'secret.member_add':
    case 'secret.member_remove':
      return ['secret.members_changed'];
    // A restore makes a new version: it is a rotation too.
    case 'secret.restore':
      return ['secret.restored', 'secret.rotated'];
    default:
      return [];
  }
}

/**
 * The change events a batch of audit records reports (SPEC §5.2). Every change to a
 * secret is audited in its own transaction already, so deriving the events from those
 * records, in that same transaction, misses no write path and adds none: an import, a
 * rotation or a member change produces its events or, rolled back, none. Personal
 * secrets produce no events (workspace endpoints never hear of them).
 */
export function changeEventsOf(records: readonly AuditEventInput[], now: Date): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const record of records) {
    if (record.outcome !== 'SUCCESS' || !record.workspaceId || record.scope !== 'WORKSPACE') continue;
    for (const type of typesOf(record)) {
      const restoredFrom =
        type === 'secret.restored' ? /version (\d+)$/.exec(record.reason ?? '')?.[1] : undefined;
      events.push({
        type,
        occurredAt: record.occurredAt ?? now,
        data: {
          workspaceId: record.workspaceId,
          secretId: record.secretId,
          name: record.secretName,
          scope: record.scope,
          version: record.version,
          actorId: record.actorId,
          ...(restoredFrom ? { restoredFrom: Number(restoredFrom) } : {}),
        },
      });
    }
  }
  return events;
}
