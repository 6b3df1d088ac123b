/** Workspace roles carried in a token's `role` claim (SPEC §4). */
export type WorkspaceRole = 'admin' | 'member' | 'external';

export const SCOPE_SYSTEM = 'secrets:system';
export const SCOPE_AUDIT_READ = 'audit:read';

/** Who is calling, as established from a verified token, plus request facts for the audit log. */
export interface Principal {
  /** `sub`: a user id, or a service id for integration tokens. */
  subject: string;
  workspaceId: string;
  /** Absent for service tokens that carry only scopes. */
  role?: WorkspaceRole;
  scopes: ReadonlySet<string>;
  requestId: string;
  sourceAddress: string;
}

/** Request facts known before (or without) authentication, for auditing failed logins. */
export interface RequestFacts {
  requestId: string;
  sourceAddress: string;
}

export const isService = (p: Principal): boolean => p.role === undefined;
export const hasScope = (p: Principal, scope: string): boolean => p.scopes.has(scope);
