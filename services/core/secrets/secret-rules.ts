import { randomUUID } from 'node:crypto';
import type { SecretRow, SecretScope } from '../../storage/entities/secret-entity.js';
import { badInput, DomainError, errorChain } from '../errors/domain-error.js';
import { maskedPreview } from './masked-preview.js';

export const MAX_DISPLAY_NAME = 256;
export const MAX_DESCRIPTION = 2048;
/** A lone surrogate: a JS string that is not valid Unicode, so not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormedText = (value: string): boolean => !LONE_SURROGATE.test(value);

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/** A value is UTF-8 text of 1 byte up to the configured maximum. The message never echoes it. */
export function assertValue(value: string, maxBytes: number, field = 'value'): void {
  if (value.length === 0) throw badInput(field, 'The value must not be empty.');
  if (!isWellFormedText(value)) throw badInput(field, 'The value must be valid UTF-8 text.');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxBytes) {
    throw badInput(field, `The value is ${bytes} bytes; at most ${maxBytes} are allowed.`, { maxBytes });
  }
}

export function assertText(value: string | null | undefined, field: string, max: number): void {
  if (value == null) return;
  if (!isWellFormedText(value) || Array.from(value).length > max) {
    throw badInput(field, `${field} must be text of at most ${max} characters.`);
  }
}

/** User, integration and member ids: short printable identifiers. */
export function assertIdentifier(value: string, field: string): void {
  if (!IDENTIFIER.test(value)) {
    throw badInput(field, `${field} must be 1 to 128 letters, digits or . _ : @ - characters.`);
  }
}

export function assertScope(scope: string): asserts scope is SecretScope {
  if (scope !== 'WORKSPACE' && scope !== 'PERSONAL')
    throw badInput('scope', 'scope must be WORKSPACE or PERSONAL.');
}

/** A fresh secret row at version 1. */
export function newSecretRow(fields: {
  workspaceId: string;
  scope: SecretScope;
  ownerId: string;
  name: string;
  value: string;
  displayName?: string | null;
  description?: string | null;
  systemManaged?: boolean;
  integration?: string;
  actor: string;
  now: Date;
}): SecretRow {
  return {
    id: randomUUID(),
    workspaceId: fields.workspaceId,
    scope: fields.scope,
    ownerId: fields.scope === 'PERSONAL' ? fields.ownerId : '',
    name: fields.name,
    displayName: fields.displayName ?? '',
    description: fields.description ?? '',
    systemManaged: fields.systemManaged ?? false,
    integration: fields.integration ?? '',
    maskedPreview: maskedPreview(fields.value),
    currentVersion: 1,
    restricted: false,
    createdAt: fields.now,
    createdBy: fields.actor,
    updatedAt: fields.now,
    updatedBy: fields.actor,
    lastUsedAt: null,
  };
}

/** The driver error codes of `error` and of the errors it wraps. */
function driverCodes(error: unknown): unknown[] {
  return errorChain(error, 4).map((current) => (current as { code?: unknown }).code);
}

const UNIQUE_VIOLATIONS = new Set([
  'ER_DUP_ENTRY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

/** True for a unique-key violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  return driverCodes(error).some((code) => UNIQUE_VIOLATIONS.has(code as string));
}

/**
 * Aborts that say nothing about the change itself, only that another transaction was
 * in the way and the database gave up on this one at once: an InnoDB deadlock victim
 * (rolled back whole), and SQLite's stale read snapshot (a transaction that read, then
 * found another process had written since). Running the transaction again is safe.
 * Lock-wait timeouts and a plain SQLITE_BUSY are not here: they have already waited
 * their full timeout, and go to the caller as a retryable UNAVAILABLE instead.
 */
const TRANSIENT_ABORTS = new Set(['ER_LOCK_DEADLOCK', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY']);

/** True when a transaction failed only because a concurrent one was in its way. */
export function isTransientAbort(error: unknown): boolean {
  return driverCodes(error).some((code) => TRANSIENT_ABORTS.has(code as string));
}

/** How many times a change is tried before a transient abort is given to the caller. */
export const TRANSACTION_ATTEMPTS = 4;

/**
 * Runs `attempt` (one whole transaction) again when the database aborted it for a
 * concurrent transaction, up to TRANSACTION_ATTEMPTS times with a short random pause,
 * so the two colliding writers do not meet again in lock step. When the last try
 * still collides, the caller gets a retryable UNAVAILABLE, never INTERNAL.
 */
export async function retryTransientAborts<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransientAbort(error)) throw error;
      if (tried >= TRANSACTION_ATTEMPTS) {
        throw new DomainError('UNAVAILABLE', 'The change collided with concurrent changes; retry it.', {
          details: { retryable: true },
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * tried));
    }
  }
}

export const conflict = (name: string, cause?: unknown): DomainError =>
  new DomainError('CONFLICT', `A secret named ${name} already exists in this scope.`, {
    details: { field: 'name' },
    cause,
  });

export const notFound = (what = 'secret'): DomainError => new DomainError('NOT_FOUND', `No such ${what}.`);

export const forbidden = (message: string): DomainError => new DomainError('FORBIDDEN', message);
