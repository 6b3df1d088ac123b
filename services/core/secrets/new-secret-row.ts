import { randomUUID } from 'node:crypto';
import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { SecretScope } from '../../protocol/vocabulary.js';
import { maskedPreview } from './masked-preview.js';
import { rotationDueAt } from './secret-lifecycle.js';

/** A fresh secret row at version 1. */
export function newSecretRow(fields: {
  workspaceId: string;
  scope: SecretScope;
  ownerId: string;
  name: string;
  value: string;
  displayName?: string | null;
  description?: string | null;
  systemManaged?: boolean;
  integration?: string;
  expiresAt?: Date | null;
  rotationIntervalDays?: number | null;
  actor: string;
  now: Date;
}): SecretRow {
  return {
    id: randomUUID(),
    workspaceId: fields.workspaceId,
    scope: fields.scope,
    ownerId: fields.scope === 'PERSONAL' ? fields.ownerId : '',
    name: fields.name,
    displayName: fields.displayName ?? '',
    description: fields.description ?? '',
    systemManaged: fields.systemManaged ?? false,
    integration: fields.integration ?? '',
    maskedPreview: maskedPreview(fields.value),
    currentVersion: 1,
    restricted: false,
    createdAt: fields.now,
    createdBy: fields.actor,
    updatedAt: fields.now,
    updatedBy: fields.actor,
    lastUsedAt: null,
    // Written by the state sealer in the transaction that inserts the row.
    stateTag: '',
    expiresAt: fields.expiresAt ?? null,
    rotationIntervalDays: fields.rotationIntervalDays ?? null,
    rotationDueAt: rotationDueAt(fields.now, fields.rotationIntervalDays),
  };
}
