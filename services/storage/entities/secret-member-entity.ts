import { EntitySchema } from 'typeorm';
import type { SecretMemberRole } from '../../protocol/vocabulary.js';

/** Per-secret access (SPEC §3): a workspace secret with members is restricted to them and workspace admins. */
export interface SecretMemberRow {
  secretId: string;
  userId: string;
  role: SecretMemberRole;
  createdAt: Date;
  createdBy: string;
}

export const SecretMemberEntity = new EntitySchema<SecretMemberRow>({
  name: 'SecretMember',
  tableName: 'secret_members',
  columns: {
    secretId: { name: 'secret_id', type: String, length: 36, primary: true },
    userId: { name: 'user_id', type: String, length: 128, primary: true },
    role: { type: String, length: 16 },
    createdAt: { name: 'created_at', type: Date, precision: 3 },
    createdBy: { name: 'created_by', type: String, length: 128 },
  },
});
