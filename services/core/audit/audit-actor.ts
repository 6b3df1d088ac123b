import type { Principal } from '../auth/principal.js';
import type { AuditEventInput } from './audit-event.js';

/** The actor fields of an audit record for a caller of the API: who, where from, which request. */
export function auditActor(
  p: Principal,
): Pick<AuditEventInput, 'actorType' | 'actorId' | 'workspaceId' | 'requestId' | 'sourceAddress'> {
  return {
    actorType: p.role === undefined ? 'service' : 'user',
    actorId: p.subject,
    workspaceId: p.workspaceId,
    requestId: p.requestId,
    sourceAddress: p.sourceAddress,
  };
}
