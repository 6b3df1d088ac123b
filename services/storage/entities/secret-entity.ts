import { EntitySchema } from 'typeorm';
import type { SecretScope } from '../../protocol/vocabulary.js';

/** A secret's metadata; its values live in `secret_versions`. */
export interface SecretRow {
  id: string;
  workspaceId: string;
  scope: SecretScope;
  /** The owning user of a PERSONAL secret; '' for WORKSPACE secrets (never NULL: it is part of a unique key). */
  ownerId: string;
  name: string;
  displayName: string;
  description: string;
  systemManaged: boolean;
  /** The integration that registered a system-managed secret; '' otherwise. */
  integration: string;
  maskedPreview: string;
  currentVersion: number;
  /** Members are stored in `secret_members`; this flag lets resolution skip the join when there are none. */
  restricted: boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  lastUsedAt: Date | null;
  /**
   * HMAC of what decides who gets a value (SPEC §8.1), written in the same transaction
   * as every change to it; '' until tagged. Computed in core (secret-state.ts): the key
   * is not in the database.
   */
  stateTag: string;
  /** After this the resolver refuses the secret (SPEC §5.1); covered by the state tag when set. */
  expiresAt?: Date | null;
  /** The rotation reminder's interval; null without one. */
  rotationIntervalDays?: number | null;
  /** The last rotation plus the interval; null without an interval. */
  rotationDueAt?: Date | null;
}

export const SecretEntity = new EntitySchema<SecretRow>({
  name: 'Secret',
  tableName: 'secrets',
  columns: {
    id: { type: String, primary: true, length: 36 },
    workspaceId: { name: 'workspace_id', type: String, length: 64 },
    scope: { type: String, length: 16 },
    ownerId: { name: 'owner_id', type: String, length: 128 },
    name: { type: String, length: 128 },
    displayName: { name: 'display_name', type: String, length: 256 },
    description: { type: String, length: 2048 },
    systemManaged: { name: 'system_managed', type: Boolean },
    integration: { type: String, length: 128 },
    maskedPreview: { name: 'masked_preview', type: String, length: 32 },
    currentVersion: { name: 'current_version', type: Number },
    restricted: { type: Boolean },
    createdAt: { name: 'created_at', type: Date, precision: 3 },
    createdBy: { name: 'created_by', type: String, length: 128 },
    updatedAt: { name: 'updated_at', type: Date, precision: 3 },
    updatedBy: { name: 'updated_by', type: String, length: 128 },
    lastUsedAt: { name: 'last_used_at', type: Date, precision: 3, nullable: true },
    // No `default:` here (the column has one in SQL): with an entity default, TypeORM
    // re-reads a multi-row insert on MariaDB and merges the rows back by position,
    // rewriting the callers' objects with other rows' ids.
    stateTag: { name: 'state_tag', type: String, length: 64 },
    expiresAt: { name: 'expires_at', type: Date, precision: 3, nullable: true },
    rotationIntervalDays: { name: 'rotation_interval_days', type: Number, nullable: true },
    rotationDueAt: { name: 'rotation_due_at', type: Date, precision: 3, nullable: true },
  },
});
