/** Workspace roles of SPEC §4, as a token carries them. */
export type WorkspaceRole = 'admin' | 'member' | 'external';

/** What the console reads from its token, only to decide which controls to offer. */
export interface TokenClaims {
  subject: string;
  workspaceId: string;
  role?: WorkspaceRole;
  scopes: ReadonlySet<string>;
  /** Seconds since the epoch. */
  expiresAt?: number;
}

const ROLES: readonly string[] = ['admin', 'member', 'external'];

/**
 * The claims of a JWT, decoded without verifying it: the console only uses them to
 * hide controls the caller cannot use. The API verifies every request and decides.
 * Returns undefined for anything that is not a JWT with `sub` and `wid`.
 */
export function readTokenClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || !payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { sub, wid, role, scope, exp } = claims;
  if (typeof sub !== 'string' || typeof wid !== 'string') return undefined;
  return {
    subject: sub,
    workspaceId: wid,
    role: typeof role === 'string' && ROLES.includes(role) ? (role as WorkspaceRole) : undefined,
    scopes: new Set(typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []),
    expiresAt: typeof exp === 'number' ? exp : undefined,
  };
}

/** True once the token's `exp` has passed (a token without one is left to the API). */
export function isExpired(claims: TokenClaims, nowMs = Date.now()): boolean {
  return claims.expiresAt !== undefined && claims.expiresAt * 1000 <= nowMs;
}
