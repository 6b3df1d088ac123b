import { decideNames } from '../resolution/resolution-decisions.js';
import { isExpired } from '../resolution/resolution-service.js';
import type { ResolutionStore } from '../../storage/resolution-store.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { badInput, DomainError } from '../../protocol/domain-error.js';
import { TRIGGERS } from '../../protocol/vocabulary.js';
import { MAX_NAMES_PER_CALL } from '../resolution/resolve-request-parser.js';
import { assertSecretName } from '../../protocol/secret-names.js';
import { secretPermissions as can } from './secret-permissions.js';
import { assertIdentifier } from './secret-input-checks.js';
import type { SecretScope, Trigger } from '../../protocol/vocabulary.js';

export interface ReferenceCheck {
  resolvable: Array<{ name: string; scope: SecretScope }>;
  missing: string[];
  /** For another user than the caller: names only that user's personal secrets could satisfy, not looked at. */
  notCheckedPersonal: string[];
  /** Names that resolve to a secret whose expiry has passed: a run would be refused them (SPEC §5.1). */
  expired: string[];
}

/**
 * `checkSecretReferences`: what a run of `runAs` would get for each name, using the
 * resolver's own decision rules (SPEC §6), without decrypting anything. `runAs.userId`
 * is the run's principal (the triggering user of a MANUAL run, the workflow owner
 * otherwise). Names a run would be refused (restricted, not a member) count as missing.
 *
 * An admin checking for another user learns nothing of that user's personal secrets:
 * they are not read, and the names no workspace secret satisfies come back as
 * `notCheckedPersonal`. Such a check is audited (`secret.check_references`, the user as
 * principal), since it says what another person's runs would get.
 */
export function createReferenceCheckService({
  resolutionStore,
  auditLog,
  clock = () => new Date(),
}: {
  resolutionStore: Pick<ResolutionStore, 'findCandidates'>;
  /** Refusals are recorded as `auth.denied` (SPEC §8: every denial); checks for others as themselves. */
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  clock?: () => Date;
}) {
  return {
    async checkSecretReferences(
      p: Principal,
      names: string[],
      runAs: { trigger: Trigger; userId: string },
    ): Promise<ReferenceCheck> {
      if (names.length > MAX_NAMES_PER_CALL)
        throw badInput('names', `At most ${MAX_NAMES_PER_CALL} names per check.`);
      names.forEach((name, i) => assertSecretName(name, `names[${i}]`));
      assertIdentifier(runAs.userId, 'runAs.userId');
      if (!TRIGGERS.includes(runAs.trigger)) {
        throw badInput('runAs.trigger', 'trigger must be MANUAL, API, WEBHOOK or SCHEDULE.');
      }
      if (!can.canCheckReferencesFor(p, runAs.userId)) {
        await auditLog.appendCommitted([
          {
            action: 'auth.denied',
            outcome: 'DENIED',
            ...auditActor(p),
            reason: 'FORBIDDEN: checkSecretReferences for another user',
          },
        ]);
        throw new DomainError('FORBIDDEN', 'Only workspace admins check references for another user.');
      }
      const unique = [...new Set(names)];
      const forSomeoneElse = runAs.userId !== p.subject;
      // One read: the candidates come with runAs.userId's membership of each.
      const candidates = await resolutionStore.findCandidates(p.workspaceId, runAs.userId, unique, {
        personalSecrets: !forSomeoneElse,
      });
      const decisions = decideNames(unique, runAs.userId, candidates);
      const check: ReferenceCheck = { resolvable: [], missing: [], notCheckedPersonal: [], expired: [] };
      const now = clock().getTime();
      for (const d of decisions) {
        if (d.kind === 'found' && isExpired(d.secret, now)) check.expired.push(d.name);
        else if (d.kind === 'found')
          check.resolvable.push({ name: d.name, scope: d.secret.scope as SecretScope });
        else if (d.kind === 'missing' && forSomeoneElse) check.notCheckedPersonal.push(d.name);
        else check.missing.push(d.name);
      }
      if (forSomeoneElse) {
        await auditLog.appendCommitted([
          {
            action: 'secret.check_references',
            outcome: 'SUCCESS',
            ...auditActor(p),
            principal: runAs.userId,
            trigger: runAs.trigger,
            reason: `names=${unique.length} resolvable=${check.resolvable.length} not_checked_personal=${check.notCheckedPersonal.length}`,
          },
        ]);
      }
      return check;
    },
  };
}
