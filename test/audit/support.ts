import type { Principal } from '../../services/core/auth/principal.js';
import type { AuditEventInput } from '../../services/core/audit/audit-event.js';

/** A caller of the audit API; an auditor unless told otherwise. */
export function principal(workspaceId: string, overrides: Partial<Principal> = {}): Principal {
  return {
    subject: 'auditor-1',
    workspaceId,
    role: 'member',
    scopes: new Set(['audit:read']),
    requestId: 'req-test',
    sourceAddress: '127.0.0.1',
    ...overrides,
  };
}

/** A value-free resolve record; `requestId` labels it so tests can name what they expect back. */
export function resolveEvent(label: string, fields: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    action: 'secret.resolve',
    outcome: 'SUCCESS',
    actorType: 'runner',
    actorId: 'spiffe://strongroom/runner/a',
    workspaceId: 'ws-a',
    secretName: 'S',
    version: 1,
    requestId: label,
    ...fields,
  };
}
