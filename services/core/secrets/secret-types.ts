import type { SecretMemberRole, SecretScope } from '../../protocol/vocabulary.js';
import type { SecretRow } from '../../storage/entities/secret-entity.js';

export type ImportConflict = 'SKIP' | 'OVERWRITE' | 'FAIL';

/** What the API shows of a secret: metadata and members, never a value. */
export interface SecretView {
  id: string;
  name: string;
  displayName: string;
  description: string;
  scope: SecretScope;
  ownerId: string | null;
  systemManaged: boolean;
  integration: string | null;
  maskedPreview: string;
  version: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  lastUsedAt: Date | null;
  members: Array<{ userId: string; role: SecretMemberRole }>;
  expiresAt: Date | null;
  rotationIntervalDays: number | null;
  rotationDueAt: Date | null;
}

export function toSecretView(row: SecretRow, members: SecretView['members']): SecretView {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    scope: row.scope,
    ownerId: row.scope === 'PERSONAL' ? row.ownerId : null,
    systemManaged: Boolean(row.systemManaged),
    integration: row.integration === '' ? null : row.integration,
    maskedPreview: row.maskedPreview,
    version: Number(row.currentVersion),
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    lastUsedAt: row.lastUsedAt,
    members,
    expiresAt: row.expiresAt ?? null,
    rotationIntervalDays: row.rotationIntervalDays == null ? null : Number(row.rotationIntervalDays),
    rotationDueAt: row.rotationDueAt ?? null,
  };
}

export interface CreateSecretInput {
  name: string;
  value: string;
  scope?: SecretScope | null;
  displayName?: string | null;
  description?: string | null;
  expiresAt?: Date | null;
  rotationIntervalDays?: number | null;
}

export interface SecretFilter {
  scope?: SecretScope | null;
  includeSystemManaged?: boolean | null;
  nameContains?: string | null;
  /** Secrets whose expiry falls within this many days from now (already expired ones included). */
  expiringWithinDays?: number | null;
  /** true: only secrets whose rotation is due; false: only those not due (or without a reminder). */
  rotationOverdue?: boolean | null;
}

export interface Page<T> {
  items: Array<{ cursor: string; node: T }>;
  hasNextPage: boolean;
  totalCount: number;
}
