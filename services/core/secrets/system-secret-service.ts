import { DomainError } from '../../protocol/domain-error.js';
import { assertSecretName } from '../../protocol/secret-names.js';
import { isStorageError } from '../../storage/storage-errors.js';
import type { SecretStore } from '../../storage/secret-store.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { newSecretRow } from './new-secret-row.js';
import { aboutSecret } from './secret-audit-fields.js';
import type { SecretChangeRunner } from './secret-change.js';
import { conflict, forbidden, notFound } from './secret-errors.js';
import { assertIdentifier, assertText, assertValue, MAX_DESCRIPTION } from './secret-input-checks.js';
import { secretPermissions as can } from './secret-permissions.js';
import type { SecretRefusals } from './secret-refusals.js';
import { toSecretView, type SecretView } from './secret-types.js';
import type { SecretValueWriter } from './secret-value-writer.js';

/**
 * System-managed secrets (SPEC §3): registered, refreshed and revoked only by
 * integration services (`secrets:system`), in the workspace of their token. Users see
 * them but cannot change them (`lockForChange` refuses).
 */
export function createSystemSecretService({
  secretStore,
  writer,
  auditLog,
  refusals,
  changes,
  maxValueBytes,
  clock = () => new Date(),
}: {
  secretStore: SecretStore;
  writer: SecretValueWriter;
  auditLog: Pick<AuditLog, 'append'>;
  refusals: Pick<SecretRefusals, 'refuse' | 'about'>;
  changes: SecretChangeRunner;
  maxValueBytes: number;
  clock?: () => Date;
}) {
  return {
    async registerSystemSecret(
      p: Principal,
      input: { integration: string; name: string; value: string; description?: string | null },
    ): Promise<SecretView> {
      assertIdentifier(input.integration, 'integration');
      assertSecretName(input.name);
      assertValue(input.value, maxValueBytes);
      assertText(input.description, 'description', MAX_DESCRIPTION);
      if (!can.canManageSystemSecrets(p)) {
        return refusals.refuse(
          p,
          'secret.register_system',
          forbidden('Only integration services (secrets:system) register system secrets.'),
          { name: input.name, scope: 'WORKSPACE' },
        );
      }
      const key = { workspaceId: p.workspaceId, scope: 'WORKSPACE' as const, ownerId: '', name: input.name };
      const register = () =>
        secretStore.retryingTransaction(async (tx) => {
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
              { action: 'secret.register_system', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(row) },
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
          return changes.viewOf(updated, tx);
        });
      try {
        try {
          return await register();
        } catch (error) {
          // Another first registration of this name committed between our read and our
          // insert: registering is idempotent, so ours becomes the refresh it would have been.
          if (!isStorageError(error, 'unique-violation')) throw error;
          return await register();
        }
      } catch (error) {
        if (isStorageError(error, 'unique-violation')) throw conflict(input.name, error);
        throw error;
      }
    },

    async revokeSystemSecret(p: Principal, input: { integration: string; name: string }): Promise<string> {
      assertIdentifier(input.integration, 'integration');
      assertSecretName(input.name);
      if (!can.canManageSystemSecrets(p)) {
        return refusals.refuse(
          p,
          'secret.revoke_system',
          forbidden('Only integration services (secrets:system) revoke system secrets.'),
          { name: input.name, scope: 'WORKSPACE' },
        );
      }
      return changes.change(p, 'secret.revoke_system', async (tx) => {
        const found = await secretStore.findSecretByKey(
          { workspaceId: p.workspaceId, scope: 'WORKSPACE', ownerId: '', name: input.name },
          tx,
        );
        if (!found || !found.systemManaged || found.integration !== input.integration)
          throw refusals.about(notFound('system-managed secret'), { name: input.name, scope: 'WORKSPACE' });
        await secretStore.deleteSecret(tx, found.id);
        await auditLog.append(tx, [
          { action: 'secret.revoke_system', outcome: 'SUCCESS', ...auditActor(p), ...aboutSecret(found) },
        ]);
        return found.id;
      });
    },
  };
}

export type SystemSecretService = ReturnType<typeof createSystemSecretService>;
