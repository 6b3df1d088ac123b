import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { AuditEventInput } from '../audit/audit-event.js';

/** The fields of an audit record that say which secret, at which version, it is about. */
export const aboutSecret = (
  s: Pick<SecretRow, 'id' | 'name' | 'scope' | 'currentVersion'>,
): Pick<AuditEventInput, 'secretId' | 'secretName' | 'scope' | 'version'> => ({
  secretId: s.id,
  secretName: s.name,
  scope: s.scope,
  version: Number(s.currentVersion),
});
