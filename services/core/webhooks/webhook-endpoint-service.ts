import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badInput, DomainError } from '../../protocol/domain-error.js';
import type { WebhookDeliveryRow, WebhookEndpointRow, WebhookStore } from '../../storage/webhook-store.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditAction } from '../audit/audit-event.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import type { EnvelopeCipher } from '../crypto/envelope-cipher.js';
import { decodeCursor, encodeCursor, pageSize } from '../pagination/cursor.js';
import { eventBody, newEventId, CHANGE_EVENT_TYPES } from './change-events.js';
import { newSigningSecret, sealSigningSecret } from './signing-secret.js';

/** What the API shows of an endpoint: never its signing secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const toEndpointView = (row: WebhookEndpointRow): WebhookEndpointView => ({
  id: row.id,
  url: row.url,
  events: row.events,
  description: row.description,
  enabled: row.disabledAt === null,
  disabledAt: row.disabledAt,
  disabledReason: row.disabledReason,
  createdAt: row.createdAt,
  createdBy: row.createdBy,
  updatedAt: row.updatedAt,
});

const toDeliveryView = (row: WebhookDeliveryRow): WebhookDeliveryView => ({
  id: String(row.id),
  eventId: row.eventId,
  eventType: row.eventType,
  status: row.status.toUpperCase(),
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
  lastStatusCode: row.lastStatusCode,
  lastError: row.lastError,
  createdAt: row.createdAt,
  deliveredAt: row.deliveredAt,
});

const MAX_URL = 2048;
const MAX_DESCRIPTION = 1024;

function assertUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput('url', 'url must be an absolute http or https URL.');
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || url.length > MAX_URL)
    throw badInput('url', `url must be an http or https URL of at most ${MAX_URL} characters.`);
  if (parsed.username || parsed.password) throw badInput('url', 'url must not carry credentials.');
}

function assertEvents(events: readonly string[]): void {
  const unknown = events.filter((e) => !(CHANGE_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0) throw badInput('events', `Unknown event types: ${unknown.join(', ')}.`);
}

const notFound = () => new DomainError('NOT_FOUND', 'No such webhook endpoint.');
const forbidden = () => new DomainError('FORBIDDEN', 'Only workspace admins manage webhook endpoints.');

/**
 * Webhook endpoints for workspace admins (SPEC §5.2): create (the signing secret shown
 * that once), list, update, delete, rotate the secret, list deliveries, redeliver, send
 * a test event. The signing secret is sealed like a value; the API never opens it.
 * Every change is audited (`webhook.*`) in its own transaction.
 */
export function createWebhookEndpointService({
  webhookStore,
  cipher,
  auditLog,
  transaction,
  clock = () => new Date(),
}: {
  webhookStore: WebhookStore;
  cipher: Pick<EnvelopeCipher, 'seal'>;
  auditLog: Pick<AuditLog, 'append' | 'appendCommitted'>;
  transaction: <T>(work: (tx: EntityManager) => Promise<T>) => Promise<T>;
  clock?: () => Date;
}) {
  /** Refuses non-admins (audited) and endpoints of other workspaces (NOT_FOUND). */
  async function assertAdmin(p: Principal, action: AuditAction): Promise<void> {
    if (p.role === 'admin') return;
    await auditLog.appendCommitted([{ action, outcome: 'DENIED', ...auditActor(p), reason: 'FORBIDDEN' }]);
    throw forbidden();
  }
  async function endpointOf(p: Principal, id: string, tx?: EntityManager): Promise<WebhookEndpointRow> {
    const row = await webhookStore.findEndpoint(id, tx);
    if (!row || row.workspaceId !== p.workspaceId) throw notFound();
    return row;
  }
  const audited = (p: Principal, action: AuditAction, endpointId: string) => ({
    action,
    outcome: 'SUCCESS' as const,
    ...auditActor(p),
    reason: `endpoint ${endpointId}`,
  });

  return {
    async listEndpoints(p: Principal): Promise<WebhookEndpointView[]> {
      if (p.role !== 'admin') throw forbidden();
      return (await webhookStore.listEndpoints(p.workspaceId)).map(toEndpointView);
    },

    async createEndpoint(
      p: Principal,
      input: { url: string; events?: string[] | null; description?: string | null },
    ): Promise<{ endpoint: WebhookEndpointView; signingSecret: string }> {
      assertUrl(input.url);
      assertEvents(input.events ?? []);
      if ((input.description ?? '').length > MAX_DESCRIPTION)
        throw badInput('description', `description holds at most ${MAX_DESCRIPTION} characters.`);
      await assertAdmin(p, 'webhook.create');
      const id = randomUUID();
      const signingSecret = newSigningSecret();
      const now = clock();
      const row: WebhookEndpointRow = {
        id,
        workspaceId: p.workspaceId,
        url: input.url,
        events: [...new Set(input.events ?? [])],
        description: input.description ?? '',
        secretVersion: 1,
        sealedSecret: await sealSigningSecret(cipher, signingSecret, p.workspaceId, id, 1),
        disabledAt: null,
        disabledReason: null,
        failingSince: null,
        createdAt: now,
        createdBy: p.subject,
        updatedAt: now,
      };
      await transaction(async (tx) => {
        await webhookStore.insertEndpoint(row, tx);
        await auditLog.append(tx, [audited(p, 'webhook.create', id)]);
      });
      return { endpoint: toEndpointView(row), signingSecret };
    },

    async updateEndpoint(
      p: Principal,
      input: {
        id: string;
        url?: string | null;
        events?: string[] | null;
        description?: string | null;
        enabled?: boolean | null;
      },
    ): Promise<WebhookEndpointView> {
      if (input.url != null) assertUrl(input.url);
      if (input.events != null) assertEvents(input.events);
      await assertAdmin(p, 'webhook.update');
      return transaction(async (tx) => {
        await endpointOf(p, input.id, tx);
        await webhookStore.updateEndpoint(tx, input.id, {
          ...(input.url != null ? { url: input.url } : {}),
          ...(input.events != null ? { events: [...new Set(input.events)] } : {}),
          ...(input.description != null ? { description: input.description } : {}),
          ...(input.enabled ? { enabled: true } : {}),
          updatedAt: clock(),
        });
        await auditLog.append(tx, [audited(p, 'webhook.update', input.id)]);
        return toEndpointView((await webhookStore.findEndpoint(input.id, tx))!);
      });
    },

    async deleteEndpoint(p: Principal, id: string): Promise<string> {
      await assertAdmin(p, 'webhook.delete');
      return transaction(async (tx) => {
        await endpointOf(p, id, tx);
        await webhookStore.deleteEndpoint(tx, id);
        await auditLog.append(tx, [audited(p, 'webhook.delete', id)]);
        return id;
      });
    },

    /** A new signing secret, shown this once; the old one stops signing at once. */
    async rotateSigningSecret(
      p: Principal,
      id: string,
    ): Promise<{ endpoint: WebhookEndpointView; signingSecret: string }> {
      await assertAdmin(p, 'webhook.rotate_secret');
      const signingSecret = newSigningSecret();
      const endpoint = await transaction(async (tx) => {
        const row = await endpointOf(p, id, tx);
        const version = row.secretVersion + 1;
        await webhookStore.updateEndpoint(tx, id, {
          secretVersion: version,
          sealedSecret: await sealSigningSecret(cipher, signingSecret, row.workspaceId, id, version),
          updatedAt: clock(),
        });
        await auditLog.append(tx, [audited(p, 'webhook.rotate_secret', id)]);
        return (await webhookStore.findEndpoint(id, tx))!;
      });
      return { endpoint: toEndpointView(endpoint), signingSecret };
    },

    async listDeliveries(
      p: Principal,
      endpointId: string,
      first?: number | null,
      after?: string | null,
    ): Promise<{ items: Array<{ cursor: string; node: WebhookDeliveryView }>; hasNextPage: boolean }> {
      if (p.role !== 'admin') throw forbidden();
      await endpointOf(p, endpointId);
      const limit = pageSize(first ?? 20);
      const beforeId = after
        ? decodeCursor(after, (k): k is [number] => k.length === 1 && Number.isInteger(k[0]))[0]
        : undefined;
      const rows = await webhookStore.listDeliveries(endpointId, beforeId, limit + 1);
      return {
        items: rows
          .slice(0, limit)
          .map((row) => ({ cursor: encodeCursor([row.id]), node: toDeliveryView(row) })),
        hasNextPage: rows.length > limit,
      };
    },

    /** Sends a delivered or failed event again, as a new delivery. */
    async redeliver(p: Principal, deliveryId: string): Promise<WebhookDeliveryView> {
      await assertAdmin(p, 'webhook.redeliver');
      const id = Number(deliveryId);
      const delivery = Number.isSafeInteger(id) ? await webhookStore.findDelivery(id) : null;
      if (!delivery || delivery.workspaceId !== p.workspaceId)
        throw new DomainError('NOT_FOUND', 'No such webhook delivery.');
      const newId = await transaction(async (tx) => {
        await endpointOf(p, delivery.endpointId, tx);
        const created = await webhookStore.redeliver(
          tx,
          delivery.eventId,
          delivery.endpointId,
          p.workspaceId,
          clock(),
        );
        await auditLog.append(tx, [audited(p, 'webhook.redeliver', delivery.endpointId)]);
        return created;
      });
      return toDeliveryView((await webhookStore.findDelivery(newId))!);
    },

    /** Queues a `webhook.test` event for one endpoint. */
    async sendTest(p: Principal, endpointId: string): Promise<WebhookDeliveryView> {
      await assertAdmin(p, 'webhook.test');
      const now = clock();
      const eventId = newEventId();
      await transaction(async (tx) => {
        await endpointOf(p, endpointId, tx);
        const event = {
          type: 'webhook.test' as const,
          occurredAt: now,
          data: { workspaceId: p.workspaceId, endpointId, actorId: p.subject },
        };
        await webhookStore.insertEvents(
          tx,
          [
            {
              event: {
                id: eventId,
                workspaceId: p.workspaceId,
                type: event.type,
                payload: eventBody(event),
                occurredAt: now,
                dedupeKey: null,
              },
              endpointIds: [endpointId],
            },
          ],
          now,
        );
        await auditLog.append(tx, [audited(p, 'webhook.test', endpointId)]);
      });
      const [latest] = await webhookStore.listDeliveries(endpointId, undefined, 1);
      return toDeliveryView(latest!);
    },
  };
}

export type WebhookEndpointService = ReturnType<typeof createWebhookEndpointService>;
