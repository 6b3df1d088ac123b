import type { SecretScope } from '../../protocol/vocabulary.js';
import { DomainError } from '../../protocol/domain-error.js';
import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { AuditAction } from '../audit/audit-event.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { aboutSecret } from './secret-audit-fields.js';

/** What a refused change was about: a stored secret, or the name and scope a caller asked for. */
export type RefusalSubject = SecretRow | { name?: string; scope: SecretScope };

const isRefusal = (error: unknown): error is DomainError =>
  error instanceof DomainError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND');

/**
 * The one way a refused secret change is audited: a record of its own, committed
 * (fail closed) before the refusal reaches the caller. A refusal raised inside a
 * change's transaction is marked with what it refused (`about`), rolled back with the
 * change, and recorded once the transaction is gone (`auditRefusals`).
 */
export function createSecretRefusals({ auditLog }: { auditLog: Pick<AuditLog, 'appendCommitted'> }) {
  const subjects = new WeakMap<DomainError, RefusalSubject>();

  // A secret of another workspace stays undescribed: its caller may not even know it exists.
  const aboutRefused = (p: Principal, subject: RefusalSubject | undefined) => {
    if (!subject) return {};
    if (!('id' in subject)) return { secretName: subject.name, scope: subject.scope };
    return p.workspaceId === subject.workspaceId ? aboutSecret(subject) : {};
  };

  /** Records `error` as a refusal of `action`, then throws it. */
  async function refuse(
    p: Principal,
    action: AuditAction,
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

  return {
    refuse,

    /** Marks a refusal raised inside a change with what it refused; returns it for `throw`. */
    about(error: DomainError, subject: RefusalSubject): DomainError {
      subjects.set(error, subject);
      return error;
    },

    /** Runs `work`; a FORBIDDEN or NOT_FOUND it throws is audited as a refusal of `action`. */
    async auditRefusals<T>(p: Principal, action: AuditAction, work: () => Promise<T>): Promise<T> {
      try {
        return await work();
      } catch (error) {
        if (isRefusal(error)) return refuse(p, action, error, subjects.get(error));
        throw error;
      }
    },
  };
}

export type SecretRefusals = ReturnType<typeof createSecretRefusals>;
