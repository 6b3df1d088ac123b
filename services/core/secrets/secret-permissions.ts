import { hasScope, SCOPE_AUDIT_READ, SCOPE_SYSTEM, type Principal } from '../auth/principal.js';
import type { SecretMemberRole, SecretScope } from '../../protocol/vocabulary.js';
import type { SecretRow } from '../../storage/entities/secret-entity.js';

/**
 * SPEC §4, as pure functions of the caller and the secret. Callers outside the
 * secret's workspace, and users other than a personal secret's owner, cannot see
 * the secret at all (the service answers NOT_FOUND rather than reveal it exists).
 */
export const secretPermissions = {
  /** Listing a workspace's secrets needs a role in it: a service token without one lists nothing. */
  canList: (p: Principal): boolean => p.role !== undefined,

  /** Metadata is visible to every workspace member (external too); a personal secret to its owner. */
  canSee(p: Principal, secret: Pick<SecretRow, 'workspaceId' | 'scope' | 'ownerId'>): boolean {
    if (p.workspaceId !== secret.workspaceId || p.role === undefined) return false;
    return secret.scope === 'WORKSPACE' || secret.ownerId === p.subject;
  },

  /** Workspace secrets are created by workspace admins; personal ones by any member for themselves. */
  canCreate(p: Principal, scope: SecretScope): boolean {
    if (scope === 'WORKSPACE') return p.role === 'admin';
    return p.role === 'admin' || p.role === 'member';
  },

  /**
   * Rotate, edit, delete and manage members: workspace admins or the secret's ADMIN
   * members for workspace secrets; the owner for personal ones. Never a system-managed secret.
   */
  canManage(
    p: Principal,
    secret: Pick<SecretRow, 'workspaceId' | 'scope' | 'ownerId' | 'systemManaged'>,
    memberRole: SecretMemberRole | undefined,
  ): boolean {
    if (!secretPermissions.canSee(p, secret) || secret.systemManaged) return false;
    if (secret.scope === 'PERSONAL') return secret.ownerId === p.subject;
    return p.role === 'admin' || memberRole === 'ADMIN';
  },

  /** Only integration services with `secrets:system` register, refresh and revoke system-managed secrets. */
  canManageSystemSecrets: (p: Principal): boolean => hasScope(p, SCOPE_SYSTEM),

  /** Only `audit:read` tokens read or verify the audit log. */
  canReadAudit: (p: Principal): boolean => hasScope(p, SCOPE_AUDIT_READ),

  /**
   * A reference check for someone else's runs reveals which personal secrets they
   * hold by name, so only admins may ask on behalf of another user.
   */
  canCheckReferencesFor(p: Principal, userId: string): boolean {
    if (p.role === undefined) return false;
    return p.role === 'admin' || userId === p.subject;
  },
};
