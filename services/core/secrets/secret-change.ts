import type { EntityManager } from 'typeorm';
import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { SecretMemberRow } from '../../storage/entities/secret-member-entity.js';
import type { SecretStore } from '../../storage/secret-store.js';
import type { AuditAction } from '../audit/audit-event.js';
import type { Principal } from '../auth/principal.js';
import { forbidden, notFound } from './secret-errors.js';
import { secretPermissions as can } from './secret-permissions.js';
import type { SecretRefusals } from './secret-refusals.js';
import { toSecretView, type SecretView } from './secret-types.js';

export const asMembers = (rows: SecretMemberRow[]): SecretView['members'] =>
  rows.map((m) => ({ userId: m.userId, role: m.role }));

/**
 * How a change to one stored secret runs, shared by the secret, member and system
 * secret use cases: in a transaction the database may run again whole after a
 * deadlock, on the secret locked and checked first, with refusals audited after the
 * rollback.
 */
export function createSecretChangeRunner({
  secretStore,
  refusals,
}: {
  secretStore: Pick<SecretStore, 'retryingTransaction' | 'lockSecret' | 'listMembers'>;
  refusals: Pick<SecretRefusals, 'about' | 'auditRefusals'>;
}) {
  return {
    /** Runs a change; a refusal raised inside it is rolled back and then audited on its own. */
    change<T>(p: Principal, action: AuditAction, work: (tx: EntityManager) => Promise<T>): Promise<T> {
      return refusals.auditRefusals(p, action, () => secretStore.retryingTransaction(work));
    },

    /**
     * Loads a secret for a change under a row lock and checks the caller may make it.
     * Invisible secrets are NOT_FOUND; visible but not manageable ones FORBIDDEN.
     */
    async lockForChange(
      tx: EntityManager,
      p: Principal,
      id: string,
    ): Promise<{ secret: SecretRow; members: SecretMemberRow[] }> {
      const secret = await secretStore.lockSecret(tx, id);
      if (!secret || !can.canSee(p, secret)) throw notFound();
      if (secret.systemManaged) {
        throw refusals.about(
          forbidden('System-managed secrets are changed only by their integration.'),
          secret,
        );
      }
      // Loaded once: the permission check needs the caller's role, and the answer lists them all.
      const members = await secretStore.listMembers(secret.id, tx);
      if (!can.canManage(p, secret, members.find((m) => m.userId === p.subject)?.role)) {
        throw refusals.about(forbidden('You may not change this secret.'), secret);
      }
      return { secret, members };
    },

    /** The API's view of `row`, with its members as `tx` sees them. */
    async viewOf(row: SecretRow, tx?: EntityManager): Promise<SecretView> {
      return toSecretView(row, asMembers(await secretStore.listMembers(row.id, tx)));
    },
  };
}

export type SecretChangeRunner = ReturnType<typeof createSecretChangeRunner>;
