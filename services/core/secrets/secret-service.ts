import { badInput } from '../../protocol/domain-error.js';
import { isStorageError } from '../../storage/storage-errors.js';
import type { SecretListingStore } from '../../storage/secret-listing-store.js';
import type { SecretStore } from '../../storage/secret-store.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { decodeCursor, encodeCursor, pageSize } from '../pagination/cursor.js';
import { assertSecretName } from '../../protocol/secret-names.js';
import { aboutSecret } from './secret-audit-fields.js';
import { asMembers, type SecretChangeRunner } from './secret-change.js';
import { conflict, forbidden } from './secret-errors.js';
import {
  assertScope,
  assertText,
  assertValue,
  MAX_DESCRIPTION,
  MAX_DISPLAY_NAME,
} from './secret-input-checks.js';
import { newSecretRow } from './new-secret-row.js';
import { secretPermissions as can } from './secret-permissions.js';
import type { SecretRefusals } from './secret-refusals.js';
import type { SecretValueWriter } from './secret-value-writer.js';
import type { SecretStateSealer } from '../integrity/secret-state-sealer.js';
import { assertPersonalRoom, DEFAULT_SECRET_CAPS, type SecretCaps } from './secret-caps.js';
import {
  assertExpiresAt,
  assertRotationInterval,
  daysFrom,
  MAX_EXPIRING_WITHIN_DAYS,
  rotationDueAt,
} from './secret-lifecycle.js';
import {
  toSecretView,
  type CreateSecretInput,
  type Page,
  type SecretFilter,
  type SecretView,
} from './secret-types.js';

export interface SecretServiceDeps {
  secretStore: SecretStore;
  listingStore: SecretListingStore;
  writer: SecretValueWriter;
  auditLog: Pick<AuditLog, 'append'>;
  refusals: Pick<SecretRefusals, 'refuse'>;
  changes: SecretChangeRunner;
  /** Re-tags a secret whose expiry changed (SPEC §8.1: expiry decides who gets a value). */
  stateSealer: Pick<SecretStateSealer, 'seal'>;
  maxValueBytes: number;
  caps?: SecretCaps;
  clock?: () => Date;
}

/**
 * The secret use cases of the GraphQL API (SPEC §3–5): list, read, create, rotate,
 * edit, delete. Every rule of §4 is asked of `secret-permissions.ts`, not decided in
 * resolvers. Each change and its audit event commit in one transaction; refusals are
 * audited on their own. Values go in, never out.
 */
export function createSecretService(deps: SecretServiceDeps) {
  const { secretStore, listingStore, writer, auditLog, refusals, changes, maxValueBytes, stateSealer } = deps;
  const clock = deps.clock ?? (() => new Date());

  return {
    async listSecrets(
      p: Principal,
      filter: SecretFilter | null | undefined,
      first?: number | null,
      after?: string | null,
    ): Promise<Page<SecretView>> {
      if (!can.canList(p))
        return refusals.refuse(p, 'auth.denied', forbidden('Listing secrets needs a workspace role.'));
      const limit = pageSize(first);
      if (filter?.scope) assertScope(filter.scope);
      if (filter?.nameContains != null && filter.nameContains.length > 128) {
        throw badInput('nameContains', 'nameContains holds at most 128 characters.');
      }
      const within = filter?.expiringWithinDays;
      if (within != null && (!Number.isInteger(within) || within < 0 || within > MAX_EXPIRING_WITHIN_DAYS))
        throw badInput(
          'expiringWithinDays',
          `expiringWithinDays must be a whole number from 0 to ${MAX_EXPIRING_WITHIN_DAYS}.`,
        );
      const now = clock();
      const query = {
        workspaceId: p.workspaceId,
        viewerId: p.subject,
        scope: filter?.scope ?? undefined,
        includeSystemManaged: filter?.includeSystemManaged ?? false,
        nameContains: filter?.nameContains ?? undefined,
        expiresBefore: within != null ? daysFrom(now, within) : undefined,
        rotationDue:
          filter?.rotationOverdue != null ? { overdue: filter.rotationOverdue, at: now } : undefined,
      };
      const afterKey = after
        ? decodeCursor(
            after,
            (k): k is [string, string] => k.length === 2 && k.every((x) => typeof x === 'string'),
          )
        : undefined;
      const [rows, totalCount] = await Promise.all([
        listingStore.list({ ...query, after: afterKey, limit: limit + 1 }),
        listingStore.count(query),
      ]);
      const pageRows = rows.slice(0, limit);
      const members = await listingStore.membersOf(pageRows.map((r) => r.id));
      return {
        items: pageRows.map((row) => ({
          cursor: encodeCursor([row.name, row.id]),
          node: toSecretView(row, asMembers(members.get(row.id) ?? [])),
        })),
        hasNextPage: rows.length > limit,
        totalCount,
      };
    },

    async getSecret(p: Principal, id: string): Promise<SecretView | null> {
      const secret = await secretStore.findSecretById(id);
      if (!secret || !can.canSee(p, secret)) return null;
      return changes.viewOf(secret);
    },

    async createSecret(p: Principal, input: CreateSecretInput): Promise<SecretView> {
      const scope = input.scope ?? 'WORKSPACE';
      assertScope(scope);
      assertSecretName(input.name);
      assertValue(input.value, maxValueBytes);
      assertText(input.displayName, 'displayName', MAX_DISPLAY_NAME);
      assertText(input.description, 'description', MAX_DESCRIPTION);
      assertExpiresAt(input.expiresAt, clock());
      assertRotationInterval(input.rotationIntervalDays);
      if (!can.canCreate(p, scope)) {
        return refusals.refuse(
          p,
          'secret.create',
          forbidden(
            scope === 'WORKSPACE'
              ? 'Only workspace admins create workspace secrets.'
              : 'Only workspace members create personal secrets.',
          ),
          { name: input.name, scope },
        );
      }
      const now = clock();
      const row = newSecretRow({
        ...input,
        scope,
        workspaceId: p.workspaceId,
        ownerId: p.subject,
        actor: p.subject,
        now,
      });
      try {
        await secretStore.retryingTransaction(async (tx) => {
          if (scope === 'PERSONAL')
            assertPersonalRoom(
              await secretStore.countPersonalSecrets(p.workspaceId, p.subject, tx),
              1,
              deps.caps ?? DEFAULT_SECRET_CAPS,
            );
          await writer.insertNew(tx, row, input.value);
          await auditLog.append(tx, [
            { action: 'secret.create', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(row) },
          ]);
        });
      } catch (error) {
        if (isStorageError(error, 'unique-violation')) throw conflict(input.name, error);
        throw error;
      }
      return toSecretView(row, []);
    },

    updateSecretValue(p: Principal, input: { id: string; value: string }): Promise<SecretView> {
      assertValue(input.value, maxValueBytes);
      return changes.change(p, 'secret.update_value', async (tx) => {
        const { secret, members } = await changes.lockForChange(tx, p, input.id);
        const updated = await writer.rotate(tx, secret, input.value, p.subject, clock());
        await auditLog.append(tx, [
          { action: 'secret.update_value', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(updated) },
        ]);
        return toSecretView(updated, asMembers(members));
      });
    },

    /**
     * Edits metadata. `expiresAt` and `rotationIntervalDays` change only when given: an
     * explicit null clears them, leaving them out keeps them.
     */
    updateSecret(
      p: Principal,
      input: {
        id: string;
        displayName?: string | null;
        description?: string | null;
        expiresAt?: Date | null;
        rotationIntervalDays?: number | null;
      },
    ): Promise<SecretView> {
      assertText(input.displayName, 'displayName', MAX_DISPLAY_NAME);
      assertText(input.description, 'description', MAX_DESCRIPTION);
      assertExpiresAt(input.expiresAt, clock());
      assertRotationInterval(input.rotationIntervalDays);
      return changes.change(p, 'secret.update', async (tx) => {
        const { secret, members } = await changes.lockForChange(tx, p, input.id);
        const expiryChanged = input.expiresAt !== undefined;
        const intervalChanged = input.rotationIntervalDays !== undefined;
        let dueAt = secret.rotationDueAt ?? null;
        if (intervalChanged) {
          // The reminder counts from the last rotation: when the current version was written.
          const current = await secretStore.findVersion(secret.id, Number(secret.currentVersion), tx);
          dueAt = rotationDueAt(current?.createdAt ?? secret.createdAt, input.rotationIntervalDays);
        }
        const patch = {
          ...(input.displayName != null ? { displayName: input.displayName } : {}),
          ...(input.description != null ? { description: input.description } : {}),
          ...(expiryChanged ? { expiresAt: input.expiresAt ?? null } : {}),
          ...(intervalChanged
            ? { rotationIntervalDays: input.rotationIntervalDays ?? null, rotationDueAt: dueAt }
            : {}),
          updatedAt: clock(),
          updatedBy: p.subject,
        };
        await secretStore.updateSecret(tx, secret.id, patch);
        if (expiryChanged) await stateSealer.seal(tx, secret.id);
        const updated = { ...secret, ...patch };
        await auditLog.append(tx, [
          { action: 'secret.update', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(updated) },
        ]);
        return toSecretView(updated, asMembers(members));
      });
    },

    deleteSecret(p: Principal, id: string): Promise<string> {
      return changes.change(p, 'secret.delete', async (tx) => {
        const { secret } = await changes.lockForChange(tx, p, id);
        await secretStore.deleteSecret(tx, secret.id);
        await auditLog.append(tx, [
          { action: 'secret.delete', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(secret) },
        ]);
        return secret.id;
      });
    },
  };
}

export type SecretService = ReturnType<typeof createSecretService>;
