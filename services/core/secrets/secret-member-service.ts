import { badInput, DomainError } from '../../protocol/domain-error.js';
import type { SecretMemberRole } from '../../protocol/vocabulary.js';
import type { SecretStore } from '../../storage/secret-store.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { aboutSecret } from './secret-audit-fields.js';
import type { SecretStateSealer } from '../integrity/secret-state-sealer.js';
import type { SecretChangeRunner } from './secret-change.js';
import { assertIdentifier } from './secret-input-checks.js';
import type { SecretView } from './secret-types.js';

/**
 * Per-secret members (SPEC §3): who may use a restricted workspace secret, and who may
 * manage it. A workspace secret with members is restricted; removing the last member
 * lifts the restriction. Each change commits with its audit record.
 */
export function createSecretMemberService({
  secretStore,
  auditLog,
  changes,
  stateSealer,
  clock = () => new Date(),
}: {
  secretStore: Pick<SecretStore, 'upsertMember' | 'removeMember' | 'countMembers' | 'updateSecret'>;
  /** Members decide who gets a value: each change re-tags the secret's state in its transaction. */
  stateSealer: Pick<SecretStateSealer, 'seal'>;
  auditLog: Pick<AuditLog, 'append'>;
  changes: SecretChangeRunner;
  clock?: () => Date;
}) {
  return {
    addSecretMember(
      p: Principal,
      input: { secretId: string; userId: string; role: SecretMemberRole },
    ): Promise<SecretView> {
      assertIdentifier(input.userId, 'userId');
      if (input.role !== 'ADMIN' && input.role !== 'MEMBER')
        throw badInput('role', 'role must be ADMIN or MEMBER.');
      return changes.change(p, 'secret.member_add', async (tx) => {
        const { secret } = await changes.lockForChange(tx, p, input.secretId);
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
        await stateSealer.seal(tx, secret.id);
        await auditLog.append(tx, [
          {
            action: 'secret.member_add',
            outcome: 'SUCCESS',
            ...auditActor(p),
            ...aboutSecret(secret),
            reason: `${input.role}:${input.userId}`,
          },
        ]);
        return changes.viewOf({ ...secret, restricted: true, updatedAt: now, updatedBy: p.subject }, tx);
      });
    },

    removeSecretMember(p: Principal, input: { secretId: string; userId: string }): Promise<SecretView> {
      assertIdentifier(input.userId, 'userId');
      return changes.change(p, 'secret.member_remove', async (tx) => {
        const { secret } = await changes.lockForChange(tx, p, input.secretId);
        if (secret.scope !== 'WORKSPACE') throw badInput('secretId', 'Only workspace secrets have members.');
        if (!(await secretStore.removeMember(tx, secret.id, input.userId)))
          throw new DomainError('NOT_FOUND', 'No such member.');
        const now = clock();
        const restricted = (await secretStore.countMembers(tx, secret.id)) > 0;
        await secretStore.updateSecret(tx, secret.id, { restricted, updatedAt: now, updatedBy: p.subject });
        await stateSealer.seal(tx, secret.id);
        await auditLog.append(tx, [
          {
            action: 'secret.member_remove',
            outcome: 'SUCCESS',
            ...auditActor(p),
            ...aboutSecret(secret),
            reason: input.userId,
          },
        ]);
        return changes.viewOf({ ...secret, restricted, updatedAt: now, updatedBy: p.subject }, tx);
      });
    },
  };
}

export type SecretMemberService = ReturnType<typeof createSecretMemberService>;
