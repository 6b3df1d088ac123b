import type { DataSource, EntityManager } from 'typeorm';
import { dateOf } from './resolution-store.js';
import type { SealedValue } from './sealed-value.js';
import { sqlDialect } from './sql-dialect.js';
import { retryingTransaction } from './retrying-transaction.js';
import { withStorageErrors } from './storage-errors.js';

/** A workspace's webhook receiver (SPEC §5.2); its signing secret stays sealed. */
export interface WebhookEndpointRow {
  id: string;
  workspaceId: string;
  url: string;
  /** Event types it receives; empty: every type. */
  events: string[];
  description: string;
  secretVersion: number;
  sealedSecret: SealedValue;
  disabledAt: Date | null;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
}

/** One outbox row: an event as it will be sent. */
export interface WebhookEventRow {
  id: string;
  workspaceId: string;
  type: string;
  /** The JSON body, exactly the bytes that are signed and sent. */
  payload: string;
  occurredAt: Date;
  /** Scheduled events only: unique, so a threshold is published once. */
  dedupeKey: string | null;
}

/** An endpoint's signing-secret data key as `keys rewrap` reads it: no ciphertext. */
export interface SigningKeyToRewrap {
  id: string;
  workspaceId: string;
  secretVersion: number;
  wrappedKey: Buffer;
  keyId: string;
  binding: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRow {
  id: number;
  eventId: string;
  endpointId: string;
  workspaceId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A delivery a worker holds the lease of, with what sending it needs. */
export interface ClaimedDelivery {
  id: number;
  attempts: number;
  event: Pick<WebhookEventRow, 'id' | 'type' | 'payload' | 'occurredAt'>;
  endpoint: Pick<
    WebhookEndpointRow,
    'id' | 'workspaceId' | 'url' | 'secretVersion' | 'sealedSecret' | 'failingSince'
  >;
  leaseUntil: Date;
  /** The claim this delivery was leased under: recording an attempt needs it. */
  claim: string;
}

/** One attempt as recorded. */
export interface WebhookAttempt {
  deliveryId: number;
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  errorClass: string | null;
  responseExcerpt: string | null;
  worker: string;
}

type Raw = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const date = (v: unknown): Date => dateOf(v as Date | string)!;
const dateOrNull = (v: unknown): Date | null => dateOf(v as Date | string | null);
const buf = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

/** Events per INSERT statement (6 parameters each). */
const EVENTS_PER_INSERT = 500;

const ENDPOINT_COLUMNS = `id, workspace_id, url, events, description, secret_version, secret_ciphertext,
  secret_iv, secret_tag, secret_wrapped_key, secret_key_id, secret_binding, disabled_at, disabled_reason,
  failing_since, created_at, created_by, updated_at`;

const toEndpoint = (r: Raw): WebhookEndpointRow => ({
  id: str(r.id),
  workspaceId: str(r.workspace_id),
  url: str(r.url),
  events: str(r.events) === '' ? [] : str(r.events).split(','),
  description: str(r.description),
  secretVersion: num(r.secret_version),
  sealedSecret: {
    ciphertext: buf(r.secret_ciphertext),
    iv: buf(r.secret_iv),
    tag: buf(r.secret_tag),
    wrappedKey: buf(r.secret_wrapped_key),
    keyId: str(r.secret_key_id),
    binding: num(r.secret_binding),
  },
  disabledAt: dateOrNull(r.disabled_at),
  disabledReason: strOrNull(r.disabled_reason),
  failingSince: dateOrNull(r.failing_since),
  createdAt: date(r.created_at),
  createdBy: str(r.created_by),
  updatedAt: date(r.updated_at),
});

const toDelivery = (r: Raw): WebhookDeliveryRow => ({
  id: num(r.id),
  eventId: str(r.event_id),
  endpointId: str(r.endpoint_id),
  workspaceId: str(r.workspace_id),
  eventType: str(r.type),
  status: str(r.status) as DeliveryStatus,
  attempts: num(r.attempts),
  nextAttemptAt: date(r.next_attempt_at),
  lastStatusCode: numOrNull(r.last_status_code),
  lastError: strOrNull(r.last_error),
  createdAt: date(r.created_at),
  deliveredAt: dateOrNull(r.delivered_at),
});

/**
 * Storage of webhook endpoints, the change-event outbox, deliveries and attempts. Plain
 * SQL both databases accept. Claims hold a lease (`lease_until`, `leased_by`) because a
 * delivery's HTTP call runs outside any transaction; on MariaDB the claim reads with
 * `FOR UPDATE SKIP LOCKED`, so workers never wait on each other's claims, and on SQLite
 * (one writer at a time) a single UPDATE claims.
 */
export function createWebhookStore({ dataSource }: { dataSource: DataSource }) {
  const mysql = sqlDialect(dataSource) === 'mysql';
  /** A time as a parameter: a Date for mysql2 (UTC session), TypeORM's UTC text on SQLite. */
  const t = (d: Date): Date | string => (mysql ? d : d.toISOString().replace('T', ' ').replace('Z', ''));
  const q = (tx: EntityManager | undefined, sql: string, params: unknown[] = []): Promise<Raw[]> =>
    (tx ?? dataSource.manager).query(sql, params) as Promise<Raw[]>;
  const placeholders = (n: number) => Array(n).fill('?').join(', ');
  const inTransaction = <T>(work: (tx: EntityManager) => Promise<T>): Promise<T> =>
    dataSource.transaction(work);

  return withStorageErrors({
    async insertEndpoint(row: WebhookEndpointRow, tx?: EntityManager): Promise<void> {
      await q(tx, `INSERT INTO webhook_endpoints (${ENDPOINT_COLUMNS}) VALUES (${placeholders(18)})`, [
        row.id,
        row.workspaceId,
        row.url,
        row.events.join(','),
        row.description,
        row.secretVersion,
        row.sealedSecret.ciphertext,
        row.sealedSecret.iv,
        row.sealedSecret.tag,
        row.sealedSecret.wrappedKey,
        row.sealedSecret.keyId,
        row.sealedSecret.binding,
        row.disabledAt && t(row.disabledAt),
        row.disabledReason,
        row.failingSince && t(row.failingSince),
        t(row.createdAt),
        row.createdBy,
        t(row.updatedAt),
      ]);
    },

    async updateEndpoint(
      tx: EntityManager | undefined,
      id: string,
      patch: Partial<
        Pick<
          WebhookEndpointRow,
          'url' | 'events' | 'description' | 'secretVersion' | 'sealedSecret' | 'updatedAt'
        >
      > & { enabled?: boolean },
    ): Promise<void> {
      const sets: string[] = [];
      const params: unknown[] = [];
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        params.push(value);
      };
      if (patch.url !== undefined) set('url', patch.url);
      if (patch.events !== undefined) set('events', patch.events.join(','));
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.secretVersion !== undefined) set('secret_version', patch.secretVersion);
      if (patch.sealedSecret) {
        set('secret_ciphertext', patch.sealedSecret.ciphertext);
        set('secret_iv', patch.sealedSecret.iv);
        set('secret_tag', patch.sealedSecret.tag);
        set('secret_wrapped_key', patch.sealedSecret.wrappedKey);
        set('secret_key_id', patch.sealedSecret.keyId);
        set('secret_binding', patch.sealedSecret.binding);
      }
      if (patch.enabled) {
        sets.push('disabled_at = NULL', 'disabled_reason = NULL', 'failing_since = NULL');
      }
      if (patch.updatedAt) set('updated_at', t(patch.updatedAt));
      if (sets.length === 0) return;
      await q(tx, `UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
    },

    /** Removes an endpoint and every delivery not yet made to it. */
    async deleteEndpoint(tx: EntityManager, id: string): Promise<void> {
      await q(tx, "DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending'", [id]);
      await q(tx, 'DELETE FROM webhook_endpoints WHERE id = ?', [id]);
    },

    async findEndpoint(id: string, tx?: EntityManager): Promise<WebhookEndpointRow | null> {
      const [row] = await q(tx, `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ?`, [id]);
      return row ? toEndpoint(row) : null;
    },

    async listEndpoints(workspaceId: string): Promise<WebhookEndpointRow[]> {
      const rows = await q(
        undefined,
        `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = ? ORDER BY created_at, id`,
        [workspaceId],
      );
      return rows.map(toEndpoint);
    },

    /**
     * Endpoints whose signing secret's data key is not wrapped by `keyId`, after `afterId`
     * in id order: what `keys rewrap` moves after the secret versions. Never the ciphertext.
     */
    async listSigningKeysNotWrappedBy(
      keyId: string,
      afterId: string,
      limit: number,
    ): Promise<SigningKeyToRewrap[]> {
      const rows = await q(
        undefined,
        `SELECT id, workspace_id, secret_version, secret_wrapped_key, secret_key_id, secret_binding
           FROM webhook_endpoints WHERE secret_key_id <> ? AND id > ? ORDER BY id LIMIT ?`,
        [keyId, afterId, limit],
      );
      return rows.map((r) => ({
        id: str(r.id),
        workspaceId: str(r.workspace_id),
        secretVersion: num(r.secret_version),
        wrappedKey: buf(r.secret_wrapped_key),
        keyId: str(r.secret_key_id),
        binding: num(r.secret_binding),
      }));
    },

    /** How many signing secrets each master key id wraps (for `keys status`). */
    async countSigningKeysByKey(): Promise<Array<{ keyId: string; count: number }>> {
      const rows = await q(
        undefined,
        'SELECT secret_key_id AS key_id, COUNT(*) AS count FROM webhook_endpoints GROUP BY secret_key_id',
      );
      return rows.map((r) => ({ keyId: str(r.key_id), count: num(r.count) }));
    },

    /** Swaps signing secrets' wrapped keys still wrapped by `expectedKeyId` (compare and swap); returns how many. */
    async replaceSigningKeys(
      tx: EntityManager,
      expectedKeyId: string,
      keyId: string,
      rows: Array<{ id: string; wrappedKey: Buffer }>,
    ): Promise<number> {
      let swapped = 0;
      for (const row of rows) {
        const result = await tx.queryRunner!.query(
          'UPDATE webhook_endpoints SET secret_wrapped_key = ?, secret_key_id = ? WHERE id = ? AND secret_key_id = ?',
          [row.wrappedKey, keyId, row.id, expectedKeyId],
          true,
        );
        swapped += (result as { affected?: number }).affected ?? 0;
      }
      return swapped;
    },

    /** The enabled endpoints of a workspace, with the event types each takes: what an event fans out to. */
    async subscribersOf(
      tx: EntityManager,
      workspaceId: string,
    ): Promise<Array<{ id: string; events: string[] }>> {
      const rows = await q(
        tx,
        'SELECT id, events FROM webhook_endpoints WHERE workspace_id = ? AND disabled_at IS NULL',
        [workspaceId],
      );
      return rows.map((r) => ({
        id: str(r.id),
        events: str(r.events) === '' ? [] : str(r.events).split(','),
      }));
    },

    /** Outbox rows, and a pending delivery of each to each endpoint named, in the caller's transaction. */
    async insertEvents(
      tx: EntityManager,
      items: Array<{ event: WebhookEventRow; endpointIds: string[] }>,
      now: Date,
    ): Promise<void> {
      if (items.length === 0) return;
      // In slices: an import of 10,000 entries makes 10,000 events, and SQLite takes at
      // most 32,766 parameters per statement.
      for (let i = 0; i < items.length; i += EVENTS_PER_INSERT) {
        const slice = items.slice(i, i + EVENTS_PER_INSERT);
        await q(
          tx,
          `INSERT INTO webhook_events (id, workspace_id, type, payload, occurred_at, dedupe_key) VALUES ${slice
            .map(() => '(?, ?, ?, ?, ?, ?)')
            .join(', ')}`,
          slice.flatMap(({ event: e }) => [
            e.id,
            e.workspaceId,
            e.type,
            e.payload,
            t(e.occurredAt),
            e.dedupeKey,
          ]),
        );
      }
      const deliveries = items.flatMap(({ event, endpointIds }) =>
        endpointIds.map((id) => [event, id] as const),
      );
      for (let i = 0; i < deliveries.length; i += 200) {
        const chunk = deliveries.slice(i, i + 200);
        await q(
          tx,
          `INSERT INTO webhook_deliveries (event_id, endpoint_id, workspace_id, status, attempts, next_attempt_at, created_at)
            VALUES ${chunk.map(() => "(?, ?, ?, 'pending', 0, ?, ?)").join(', ')}`,
          chunk.flatMap(([event, endpointId]) => [event.id, endpointId, event.workspaceId, t(now), t(now)]),
        );
      }
    },

    /** Which of `keys` were already published (scheduled events). */
    async publishedKeys(keys: string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500);
        const rows = await q(
          undefined,
          `SELECT dedupe_key FROM webhook_events WHERE dedupe_key IN (${placeholders(chunk.length)})`,
          chunk,
        );
        for (const r of rows) found.add(str(r.dedupe_key));
      }
      return found;
    },

    /**
     * Leases up to `limit` due deliveries to the claim `worker` (unique per claim: a
     * worker's concurrent rounds must not read each other's) until `leaseUntil`; deliveries to a
     * disabled endpoint are never claimed. Returns what was claimed, with its event and
     * endpoint.
     */
    async claimDue(worker: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
      const due = `d.status = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
        AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NULL)`;
      // Run again whole after a transient abort: on Galera two workers on different nodes
      // may lock the same rows (SKIP LOCKED sees only its own node's locks) and one loses
      // certification at COMMIT; its second try reads the other's claim and skips those rows.
      const claimed = await retryingTransaction<number[]>(inTransaction, async (tx) => {
        if (mysql) {
          const rows = await q(
            tx,
            `SELECT d.id FROM webhook_deliveries d WHERE ${due} ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`,
            [t(now), t(now), limit],
          );
          const ids = rows.map((r) => num(r.id));
          if (ids.length === 0) return [];
          await q(
            tx,
            `UPDATE webhook_deliveries SET lease_until = ?, leased_by = ? WHERE id IN (${placeholders(ids.length)})`,
            [t(leaseUntil), worker, ...ids],
          );
          return ids;
        }
        // SQLite: one writer, so one UPDATE is the whole claim.
        await q(
          tx,
          `UPDATE webhook_deliveries SET lease_until = ?, leased_by = ? WHERE id IN (
            SELECT d.id FROM webhook_deliveries d WHERE ${due} ORDER BY d.next_attempt_at LIMIT ?)`,
          [t(leaseUntil), worker, t(now), t(now), limit],
        );
        const rows = await q(
          tx,
          'SELECT id FROM webhook_deliveries WHERE leased_by = ? AND lease_until = ?',
          [worker, t(leaseUntil)],
        );
        return rows.map((r) => num(r.id));
      });
      if (claimed.length === 0) return [];
      const rows = await q(
        undefined,
        `SELECT d.id AS id, d.attempts AS attempts, v.id AS event_id, v.type AS type, v.payload AS payload,
            v.occurred_at AS occurred_at, e.id AS endpoint_id, e.workspace_id AS workspace_id, e.url AS url,
            e.secret_version AS secret_version, e.secret_ciphertext AS secret_ciphertext, e.secret_iv AS secret_iv,
            e.secret_tag AS secret_tag, e.secret_wrapped_key AS secret_wrapped_key, e.secret_key_id AS secret_key_id,
            e.secret_binding AS secret_binding, e.failing_since AS failing_since
          FROM webhook_deliveries d
          INNER JOIN webhook_events v ON v.id = d.event_id
          INNER JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.id IN (${placeholders(claimed.length)}) ORDER BY d.id`,
        claimed,
      );
      return rows.map((r) => {
        const endpoint = toEndpoint({
          ...r,
          id: r.endpoint_id,
          events: '',
          description: '',
          created_at: r.occurred_at,
          created_by: '',
          updated_at: r.occurred_at,
        });
        return {
          id: num(r.id),
          attempts: num(r.attempts),
          event: {
            id: str(r.event_id),
            type: str(r.type),
            payload: str(r.payload),
            occurredAt: date(r.occurred_at),
          },
          endpoint,
          leaseUntil,
          claim: worker,
        };
      });
    },

    /**
     * Records an attempt and the delivery's new state, only while `claim` still holds its
     * lease (a worker that outlived its lease records nothing: the next holder will).
     * Returns whether it did.
     */
    async recordAttempt(
      claim: string,
      attempt: WebhookAttempt,
      next: { status: DeliveryStatus; nextAttemptAt: Date },
      endpoint: { id: string; failingSince: Date | null; disable?: string },
    ): Promise<boolean> {
      return retryingTransaction<boolean>(inTransaction, async (tx) => {
        const result = (await tx.queryRunner!.query(
          `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL,
              leased_by = NULL, last_status_code = ?, last_error = ?, delivered_at = ?
            WHERE id = ? AND leased_by = ?`,
          [
            next.status,
            t(next.nextAttemptAt),
            attempt.statusCode,
            attempt.errorClass,
            next.status === 'delivered' ? t(attempt.attemptedAt) : null,
            attempt.deliveryId,
            claim,
          ],
          true,
        )) as { affected?: number };
        if ((result.affected ?? 0) !== 1) return false;
        await q(
          tx,
          `INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, error_class, response_excerpt, worker)
            VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            attempt.deliveryId,
            t(attempt.attemptedAt),
            attempt.statusCode,
            attempt.durationMs,
            attempt.errorClass,
            attempt.responseExcerpt,
            attempt.worker,
          ],
        );
        if (endpoint.disable) {
          await q(
            tx,
            'UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ? WHERE id = ? AND disabled_at IS NULL',
            [t(attempt.attemptedAt), endpoint.disable, endpoint.id],
          );
        } else {
          await q(tx, 'UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?', [
            endpoint.failingSince && t(endpoint.failingSince),
            endpoint.id,
          ]);
        }
        return true;
      });
    },

    /** A page of an endpoint's deliveries, newest first, below `beforeId` when given. */
    async listDeliveries(
      endpointId: string,
      beforeId: number | undefined,
      limit: number,
    ): Promise<WebhookDeliveryRow[]> {
      const rows = await q(
        undefined,
        `SELECT d.id, d.event_id, d.endpoint_id, d.workspace_id, v.type, d.status, d.attempts, d.next_attempt_at,
            d.last_status_code, d.last_error, d.created_at, d.delivered_at
          FROM webhook_deliveries d INNER JOIN webhook_events v ON v.id = d.event_id
          WHERE d.endpoint_id = ? ${beforeId !== undefined ? 'AND d.id < ?' : ''} ORDER BY d.id DESC LIMIT ?`,
        beforeId !== undefined ? [endpointId, beforeId, limit] : [endpointId, limit],
      );
      return rows.map(toDelivery);
    },

    async findDelivery(id: number): Promise<WebhookDeliveryRow | null> {
      const [row] = await q(
        undefined,
        `SELECT d.id, d.event_id, d.endpoint_id, d.workspace_id, v.type, d.status, d.attempts, d.next_attempt_at,
            d.last_status_code, d.last_error, d.created_at, d.delivered_at
          FROM webhook_deliveries d INNER JOIN webhook_events v ON v.id = d.event_id WHERE d.id = ?`,
        [id],
      );
      return row ? toDelivery(row) : null;
    },

    /** A new pending delivery of an event already sent (redeliverWebhookEvent); returns its id. */
    async redeliver(
      tx: EntityManager,
      eventId: string,
      endpointId: string,
      workspaceId: string,
      now: Date,
    ): Promise<number> {
      await q(
        tx,
        `INSERT INTO webhook_deliveries (event_id, endpoint_id, workspace_id, status, attempts, next_attempt_at, created_at)
          VALUES (?, ?, ?, 'pending', 0, ?, ?)`,
        [eventId, endpointId, workspaceId, t(now), t(now)],
      );
      const [row] = await q(
        tx,
        'SELECT MAX(id) AS id FROM webhook_deliveries WHERE event_id = ? AND endpoint_id = ?',
        [eventId, endpointId],
      );
      return num(row!.id);
    },

    /** Every attempt of a delivery, oldest first. */
    async attemptsOf(deliveryId: number): Promise<WebhookAttempt[]> {
      const rows = await q(
        undefined,
        `SELECT delivery_id, attempted_at, status_code, duration_ms, error_class, response_excerpt, worker
          FROM webhook_attempts WHERE delivery_id = ? ORDER BY id`,
        [deliveryId],
      );
      return rows.map((r) => ({
        deliveryId: num(r.delivery_id),
        attemptedAt: date(r.attempted_at),
        statusCode: numOrNull(r.status_code),
        durationMs: num(r.duration_ms),
        errorClass: strOrNull(r.error_class),
        responseExcerpt: strOrNull(r.response_excerpt),
        worker: str(r.worker),
      }));
    },

    /**
     * Workspace secrets that expire at or before `expiringBefore` or whose rotation is
     * due at or before `dueBefore`, in id order after `afterId`: what the scheduler looks at.
     */
    async lifecycleCandidates(
      { expiringBefore, dueBefore, afterId }: { expiringBefore: Date; dueBefore: Date; afterId: string },
      limit: number,
    ): Promise<
      Array<{
        id: string;
        workspaceId: string;
        name: string;
        version: number;
        expiresAt: Date | null;
        rotationDueAt: Date | null;
      }>
    > {
      const rows = await q(
        undefined,
        `SELECT id, workspace_id, name, current_version, expires_at, rotation_due_at FROM secrets
          WHERE scope = 'WORKSPACE' AND id > ? AND ((expires_at IS NOT NULL AND expires_at <= ?)
            OR (rotation_due_at IS NOT NULL AND rotation_due_at <= ?))
          ORDER BY id LIMIT ?`,
        [afterId, t(expiringBefore), t(dueBefore), limit],
      );
      return rows.map((r) => ({
        id: str(r.id),
        workspaceId: str(r.workspace_id),
        name: str(r.name),
        version: num(r.current_version),
        expiresAt: dateOrNull(r.expires_at),
        rotationDueAt: dateOrNull(r.rotation_due_at),
      }));
    },
  });
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;
