import type { EntityManager } from 'typeorm';
import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { SecretMemberRole, SecretMemberRow } from '../../storage/entities/secret-member-entity.js';
import type { SecretListingStore } from '../../storage/secret-listing-store.js';
import type { SecretStore } from '../../storage/secret-store.js';
import type { AuditEventInput } from '../audit/audit-event.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import type { EnvelopeCipher } from '../crypto/envelope-cipher.js';
import { badInput, DomainError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor, pageSize } from '../pagination/cursor.js';
import { assertSecretName } from './secret-names.js';
import { createSecretValueWriter } from './secret-value-writer.js';
import { secretPermissions as can } from './secret-permissions.js';
import {
  assertIdentifier,
  assertScope,
  assertText,
  assertValue,
  conflict,
  forbidden,
  isUniqueViolation,
  MAX_DESCRIPTION,
  MAX_DISPLAY_NAME,
  newSecretRow,
  notFound,
  retryTransientAborts,
} from './secret-rules.js';
import {
  toSecretView,
  type CreateSecretInput,
  type Page,
  type SecretFilter,
  type SecretScope,
  type SecretView,
} from './secret-types.js';

/** What a refused change was about: a stored secret, or the name and scope a caller asked for. */
type RefusalSubject = SecretRow | { name: string; scope: SecretScope };

export interface SecretServiceDeps {
  secretStore: SecretStore;
  listingStore: SecretListingStore;
  cipher: Pick<EnvelopeCipher, 'seal'>;
  auditLog: Pick<AuditLog, 'append' | 'appendCommitted'>;
  maxValueBytes: number;
  clock?: () => Date;
}

/**
 * The secret use cases of the GraphQL API (SPEC §3–5). Every rule of §4 is checked
 * here, not in resolvers. Each change and its audit event commit in one
 * transaction; refusals are audited on their own. A transaction the database aborts
 * only for a concurrent one (a deadlock) is run again, whole. Values go in, never out.
 */
export function createSecretService(deps: SecretServiceDeps) {
  const { secretStore, listingStore, cipher, auditLog, maxValueBytes } = deps;
  const clock = deps.clock ?? (() => new Date());
  const writer = createSecretValueWriter({ secretStore, cipher });

  const aboutSecret = (s: SecretRow) => ({
    secretId: s.id,
    secretName: s.name,
    scope: s.scope,
    version: Number(s.currentVersion),
  });

  // A secret of another workspace stays undescribed: its caller may not even know it exists.
  const aboutRefused = (p: Principal, subject: RefusalSubject | undefined) => {
    if (!subject) return {};
    if (!('id' in subject)) return { secretName: subject.name, scope: subject.scope };
    return p.workspaceId === subject.workspaceId ? aboutSecret(subject) : {};
  };

  /** Records a refusal in its own transaction, then throws it. */
  async function refuse(
    p: Principal,
    action: AuditEventInput['action'],
    error: DomainError,
    subject?: RefusalSubject,
  ): Promise<never> {
    await auditLog.appendCommitted([
      {
        action,
        outcome: error.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'DENIED',
        ...auditActor(p),
        ...aboutRefused(p, subject),
        reason: error.code,
      },
    ]);
    throw error;
  }

  const asMembers = (rows: SecretMemberRow[]): SecretView['members'] =>
    rows.map((m) => ({ userId: m.userId, role: m.role }));

  async function view(row: SecretRow, tx?: EntityManager): Promise<SecretView> {
    return toSecretView(row, asMembers(await secretStore.listMembers(row.id, tx)));
  }

  /** Secrets that refusals raised inside a change were about, for the audit record written after rollback. */
  const refusalSubjects = new WeakMap<DomainError, RefusalSubject>();
  const refusal = (error: DomainError, subject: RefusalSubject): DomainError => {
    refusalSubjects.set(error, subject);
    return error;
  };

  /**
   * Loads a secret for a change under a row lock and checks the caller may make it.
   * Invisible secrets are NOT_FOUND; visible but not manageable ones FORBIDDEN.
   */
  async function lockForChange(
    tx: EntityManager,
    p: Principal,
    id: string,
  ): Promise<{ secret: SecretRow; members: SecretMemberRow[] }> {
    const secret = await secretStore.lockSecret(tx, id);
    if (!secret || !can.canSee(p, secret)) throw notFound();
    if (secret.systemManaged) {
      throw refusal(forbidden('System-managed secrets are changed only by their integration.'), secret);
    }
    // Loaded once: the permission check needs the caller's role, and the answer lists them all.
    const members = await secretStore.listMembers(secret.id, tx);
    if (!can.canManage(p, secret, members.find((m) => m.userId === p.subject)?.role)) {
      throw refusal(forbidden('You may not change this secret.'), secret);
    }
    return { secret, members };
  }

  /** Runs a change; a refusal raised inside it is rolled back and then audited on its own. */
  async function change<T>(
    p: Principal,
    action: AuditEventInput['action'],
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await retryTransientAborts(() => secretStore.transaction(work));
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
        return refuse(p, action, error, refusalSubjects.get(error));
      }
      throw error;
    }
  }

  return {
    async listSecrets(
      p: Principal,
      filter: SecretFilter | null | undefined,
      first?: number | null,
      after?: string | null,
    ): Promise<Page<SecretView>> {
      if (p.role === undefined)
        return refuse(p, 'auth.denied', forbidden('Listing secrets needs a workspace role.'));
      const limit = pageSize(first);
      if (filter?.scope) assertScope(filter.scope);
      if (filter?.nameContains != null && filter.nameContains.length > 128) {
        throw badInput('nameContains', 'nameContains holds at most 128 characters.');
      }
      const query = {
        workspaceId: p.workspaceId,
        viewerId: p.subject,
        scope: filter?.scope ?? undefined,
        includeSystemManaged: filter?.includeSystemManaged ?? false,
        nameContains: filter?.nameContains ?? undefined,
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
          node: toSecretView(
            row,
            (members.get(row.id) ?? []).map((m) => ({ userId: m.userId, role: m.role })),
          ),
        })),
        hasNextPage: rows.length > limit,
        totalCount,
      };
    },

    async getSecret(p: Principal, id: string): Promise<SecretView | null> {
      const secret = await secretStore.findSecretById(id);
      if (!secret || !can.canSee(p, secret)) return null;
      return view(secret);
    },

    async createSecret(p: Principal, input: CreateSecretInput): Promise<SecretView> {
      const scope = input.scope ?? 'WORKSPACE';
      assertScope(scope);
      assertSecretName(input.name);
      assertValue(input.value, maxValueBytes);
      assertText(input.displayName, 'displayName', MAX_DISPLAY_NAME);
      assertText(input.description, 'description', MAX_DESCRIPTION);
      if (!can.canCreate(p, scope)) {
        return refuse(
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
        await retryTransientAborts(() =>
          secretStore.transaction(async (tx) => {
            await writer.insertNew(tx, row, input.value);
            await auditLog.append(tx, [
              { action: 'secret.create', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(row) },
            ]);
          }),
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(input.name, error);
        throw error;
      }
      return toSecretView(row, []);
    },

    updateSecretValue(p: Principal, input: { id: string; value: string }): Promise<SecretView> {
      assertValue(input.value, maxValueBytes);
      return change(p, 'secret.update_value', async (tx) => {
        const { secret, members } = await lockForChange(tx, p, input.id);
        const updated = await writer.rotate(tx, secret, input.value, p.subject, clock());
        await auditLog.append(tx, [
          { action: 'secret.update_value', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(updated) },
        ]);
        return toSecretView(updated, asMembers(members));
      });
    },

    updateSecret(
      p: Principal,
      input: { id: string; displayName?: string | null; description?: string | null },
    ): Promise<SecretView> {
      assertText(input.displayName, 'displayName', MAX_DISPLAY_NAME);
      assertText(input.description, 'description', MAX_DESCRIPTION);
      return change(p, 'secret.update', async (tx) => {
        const { secret, members } = await lockForChange(tx, p, input.id);
        const patch = {
          ...(input.displayName != null ? { displayName: input.displayName } : {}),
          ...(input.description != null ? { description: input.description } : {}),
          updatedAt: clock(),
          updatedBy: p.subject,
        };
        await secretStore.updateSecret(tx, secret.id, patch);
        const updated = { ...secret, ...patch };
        await auditLog.append(tx, [
          { action: 'secret.update', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(updated) },
        ]);
        return toSecretView(updated, asMembers(members));
      });
    },

    deleteSecret(p: Principal, id: string): Promise<string> {
      return change(p, 'secret.delete', async (tx) => {
        const { secret } = await lockForChange(tx, p, id);
        await secretStore.deleteSecret(tx, secret.id);
        await auditLog.append(tx, [
          { action: 'secret.delete', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(secret) },
        ]);
        return secret.id;
      });
    },

    addSecretMember(
      p: Principal,
      input: { secretId: string; userId: string; role: SecretMemberRole },
    ): Promise<SecretView> {
      assertIdentifier(input.userId, 'userId');
      if (input.role !== 'ADMIN' && input.role !== 'MEMBER')
        throw badInput('role', 'role must be ADMIN or MEMBER.');
      return change(p, 'secret.member_add', async (tx) => {
        const { secret } = await lockForChange(tx, p, input.secretId);
        if (secret.scope !== 'WORKSPACE') throw badInput('secretId', 'Only workspace secrets have members.');
        const now = clock();
        await secretStore.upsertMember(tx, {
          secretId: secret.id,
          userId: input.userId,
          role: input.role,
          createdAt: now,
          createdBy: p.subject,
        });
        await secretStore.updateSecret(tx, secret.id, {
          restricted: true,
          updatedAt: now,
          updatedBy: p.subject,
        });
        await auditLog.append(tx, [
          {
            action: 'secret.member_add',
            outcome: 'SUCCESS',
            ...auditActor(p),
            ...aboutSecret(secret),
            reason: `${input.role}:${input.userId}`,
          },
        ]);
        return view({ ...secret, restricted: true, updatedAt: now, updatedBy: p.subject }, tx);
      });
    },

    removeSecretMember(p: Principal, input: { secretId: string; userId: string }): Promise<SecretView> {
      assertIdentifier(input.userId, 'userId');
      return change(p, 'secret.member_remove', async (tx) => {
        const { secret } = await lockForChange(tx, p, input.secretId);
        if (secret.scope !== 'WORKSPACE') throw badInput('secretId', 'Only workspace secrets have members.');
        if (!(await secretStore.removeMember(tx, secret.id, input.userId)))
          throw new DomainError('NOT_FOUND', 'No such member.');
        const now = clock();
        const restricted = (await secretStore.countMembers(tx, secret.id)) > 0;
        await secretStore.updateSecret(tx, secret.id, { restricted, updatedAt: now, updatedBy: p.subject });
        await auditLog.append(tx, [
          {
            action: 'secret.member_remove',
            outcome: 'SUCCESS',
            ...auditActor(p),
            ...aboutSecret(secret),
            reason: input.userId,
          },
        ]);
        return view({ ...secret, restricted, updatedAt: now, updatedBy: p.subject }, tx);
      });
    },

    async registerSystemSecret(
      p: Principal,
      input: { integration: string; name: string; value: string; description?: string | null },
    ): Promise<SecretView> {
      assertIdentifier(input.integration, 'integration');
      assertSecretName(input.name);
      assertValue(input.value, maxValueBytes);
      assertText(input.description, 'description', MAX_DESCRIPTION);
      if (!can.canManageSystemSecrets(p)) {
        return refuse(
          p,
          'secret.register_system',
          forbidden('Only integration services (secrets:system) register system secrets.'),
          { name: input.name, scope: 'WORKSPACE' },
        );
      }
      const key = { workspaceId: p.workspaceId, scope: 'WORKSPACE' as const, ownerId: '', name: input.name };
      const register = () =>
        retryTransientAborts(() =>
          secretStore.transaction(async (tx) => {
            const now = clock();
            const existing = await secretStore.findSecretByKey(key, tx);
            if (!existing) {
              const row = newSecretRow({
                ...key,
                value: input.value,
                description: input.description,
                systemManaged: true,
                integration: input.integration,
                actor: p.subject,
                now,
              });
              await writer.insertNew(tx, row, input.value);
              await auditLog.append(tx, [
                {
                  action: 'secret.register_system',
                  outcome: 'SUCCESS',
                  ...auditActor(p),
                  ...aboutSecret(row),
                },
              ]);
              return toSecretView(row, []);
            }
            if (!existing.systemManaged || existing.integration !== input.integration) {
              throw new DomainError(
                'CONFLICT',
                `${input.name} already exists and is not managed by ${input.integration}.`,
                { details: { field: 'name' } },
              );
            }
            // A refresh: the integration's token changed, so the value gets a new version.
            const locked = (await secretStore.lockSecret(tx, existing.id))!;
            const updated = await writer.rotate(
              tx,
              locked,
              input.value,
              p.subject,
              now,
              input.description != null ? { description: input.description } : {},
            );
            await auditLog.append(tx, [
              {
                action: 'secret.register_system',
                outcome: 'SUCCESS',
                ...auditActor(p),
                ...aboutSecret(updated),
                reason: 'refresh',
              },
            ]);
            return view(updated, tx);
          }),
        );
      try {
        try {
          return await register();
        } catch (error) {
          // Another first registration of this name committed between our read and our
          // insert: registering is idempotent, so ours becomes the refresh it would have been.
          if (!isUniqueViolation(error)) throw error;
          return await register();
        }
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(input.name, error);
        throw error;
      }
    },

    async revokeSystemSecret(p: Principal, input: { integration: string; name: string }): Promise<string> {
      assertIdentifier(input.integration, 'integration');
      assertSecretName(input.name);
      if (!can.canManageSystemSecrets(p)) {
        return refuse(
          p,
          'secret.revoke_system',
          forbidden('Only integration services (secrets:system) revoke system secrets.'),
          { name: input.name, scope: 'WORKSPACE' },
        );
      }
      return change(p, 'secret.revoke_system', async (tx) => {
        const found = await secretStore.findSecretByKey(
          { workspaceId: p.workspaceId, scope: 'WORKSPACE', ownerId: '', name: input.name },
          tx,
        );
        if (!found || !found.systemManaged || found.integration !== input.integration)
          throw refusal(notFound('system-managed secret'), { name: input.name, scope: 'WORKSPACE' });
        await secretStore.deleteSecret(tx, found.id);
        await auditLog.append(tx, [
          { action: 'secret.revoke_system', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(found) },
        ]);
        return found.id;
      });
    },
  };
}

export type SecretService = ReturnType<typeof createSecretService>;
