import type { TokenClaims } from './token-claims';

/** The parts of a secret the console's permission mirror looks at. */
export interface SecretAccessFacts {
  scope: 'WORKSPACE' | 'PERSONAL';
  ownerId?: string | null;
  systemManaged: boolean;
  members: ReadonlyArray<{ userId: string; role: 'ADMIN' | 'MEMBER' }>;
}

/**
 * SPEC §4 as the console sees it, to offer only the controls a caller can use. It is
 * a mirror, not the rule: the API decides every request (services/core/secrets/
 * secret-permissions.ts), and a control shown by mistake would only meet a refusal.
 */
export function abilitiesOf(claims: TokenClaims) {
  const { role, subject } = claims;
  return {
    /** Secrets pages need a workspace role; a service token with scopes only has none. */
    listSecrets: role !== undefined,
    create: (scope: SecretAccessFacts['scope']): boolean =>
      scope === 'WORKSPACE' ? role === 'admin' : role === 'admin' || role === 'member',
    /** Rotate, edit, delete and manage members. */
    manage(secret: SecretAccessFacts): boolean {
      if (role === undefined || secret.systemManaged) return false;
      if (secret.scope === 'PERSONAL') return secret.ownerId === subject;
      return role === 'admin' || secret.members.some((m) => m.userId === subject && m.role === 'ADMIN');
    },
    /** Only admins check references on behalf of another user. */
    checkReferencesForOthers: role === 'admin',
    checkReferences: role !== undefined,
    readAudit: claims.scopes.has('audit:read'),
  };
}

export type Abilities = ReturnType<typeof abilitiesOf>;
