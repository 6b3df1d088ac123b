import type { SecretRow } from '../../storage/entities/secret-entity.js';
import type { SecretStore } from '../../storage/secret-store.js';
import { isStorageError } from '../../storage/storage-errors.js';
import type { AuditEventInput } from '../audit/audit-event.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { badInput, DomainError } from '../../protocol/domain-error.js';
import { parseDotenvStrict } from './dotenv-import.js';
import { decideImportEntry, planImport } from './secret-import-plan.js';
import type { SecretValueWriter } from './secret-value-writer.js';
import { secretPermissions as can } from './secret-permissions.js';
import { newSecretRow } from './new-secret-row.js';
import { forbidden } from './secret-errors.js';
import { assertScope, assertValue } from './secret-input-checks.js';
import type { SecretRefusals } from './secret-refusals.js';
import type { SecretScope } from '../../protocol/vocabulary.js';
import type { ImportConflict } from './secret-types.js';
import { assertImportSize, assertPersonalRoom, DEFAULT_SECRET_CAPS, type SecretCaps } from './secret-caps.js';

/** Largest .env text accepted in one import (before parsing). */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
}

/** The input of `importSecrets`; `dryRun` reports what would happen and writes nothing. */
export interface ImportSecretsRequest {
  dotenv: string;
  scope?: SecretScope | null;
  onConflict?: ImportConflict | null;
  dryRun?: boolean | null;
}

/**
 * `importSecrets`: bulk creation from .env text, all or nothing. Everything is
 * validated before the transaction starts; inside it, each name is created, skipped
 * or rotated per `onConflict`, with one audit event per changed secret. Any failure
 * rolls the whole import back.
 */
export function createSecretImportService(deps: {
  secretStore: SecretStore;
  writer: SecretValueWriter;
  auditLog: Pick<AuditLog, 'append'>;
  refusals: Pick<SecretRefusals, 'refuse' | 'about' | 'auditRefusals'>;
  maxValueBytes: number;
  caps?: SecretCaps;
  clock?: () => Date;
}) {
  const clock = deps.clock ?? (() => new Date());
  const caps = deps.caps ?? DEFAULT_SECRET_CAPS;
  const { secretStore, writer, auditLog, refusals } = deps;

  return {
    async importSecrets(p: Principal, input: ImportSecretsRequest): Promise<ImportResult> {
      const scope = input.scope ?? 'WORKSPACE';
      const onConflict = input.onConflict ?? 'FAIL';
      assertScope(scope);
      if (!['SKIP', 'OVERWRITE', 'FAIL'].includes(onConflict))
        throw badInput('onConflict', 'onConflict must be SKIP, OVERWRITE or FAIL.');
      if (Buffer.byteLength(input.dotenv, 'utf8') > MAX_IMPORT_BYTES) {
        throw badInput('dotenv', `The .env text is larger than ${MAX_IMPORT_BYTES} bytes.`);
      }
      const actor = auditActor(p);
      if (!can.canCreate(p, scope)) {
        return refusals.refuse(
          p,
          'secret.import',
          forbidden(
            scope === 'WORKSPACE'
              ? 'Only workspace admins import workspace secrets.'
              : 'Only workspace members import personal secrets.',
          ),
          { scope },
        );
      }
      const entries = parseDotenvStrict(input.dotenv);
      // Before any value is checked, read or sealed.
      assertImportSize(entries.length, caps);
      for (const entry of entries) {
        try {
          assertValue(entry.value, deps.maxValueBytes);
        } catch (error) {
          throw badInput('dotenv', `Line ${entry.line}: ${(error as DomainError).message}`, {
            line: entry.line,
          });
        }
      }

      const ownerId = scope === 'PERSONAL' ? p.subject : '';
      if (input.dryRun) {
        const owner = { workspaceId: p.workspaceId, scope, ownerId };
        const existing = await secretStore.findSecretsByNames(
          owner,
          entries.map((e) => e.name),
        );
        const byName = new Map(existing.map((s) => [s.name, s]));
        if (scope === 'PERSONAL')
          assertPersonalRoom(
            await secretStore.countPersonalSecrets(p.workspaceId, ownerId),
            new Set(entries.map((e) => e.name).filter((n) => !byName.has(n))).size,
            caps,
          );
        return planImport(entries, byName, onConflict, (s) => can.canManage(p, s, undefined));
      }
      const result: ImportResult = { created: 0, updated: 0, skipped: 0 };
      try {
        // Two imports overwriting the same names in different orders can deadlock; the
        // victim is run again whole, so its counts start over with it. A secret the caller
        // may not overwrite is refused, and the refusal audited after the rollback.
        await refusals.auditRefusals(p, 'secret.import', () =>
          secretStore.retryingTransaction(async (tx) => {
            Object.assign(result, { created: 0, updated: 0, skipped: 0 });
            const events: AuditEventInput[] = [];
            const now = clock();
            // One read for every name and multi-row inserts for the new ones: a 10,000-line
            // import is a few dozen statements rather than 30,000.
            const owner = { workspaceId: p.workspaceId, scope, ownerId };
            const names = entries.map((e) => e.name);
            const existingRows = await secretStore.findSecretsByNames(owner, names, tx);
            const existingByName = new Map(existingRows.map((s) => [s.name, s]));
            if (scope === 'PERSONAL')
              assertPersonalRoom(
                await secretStore.countPersonalSecrets(p.workspaceId, ownerId, tx),
                new Set(names.filter((n) => !existingByName.has(n))).size,
                caps,
              );
            const created: Array<{ row: SecretRow; value: string }> = [];
            for (const entry of entries) {
              const existing = existingByName.get(entry.name);
              const decision = decideImportEntry(
                entry,
                existing,
                onConflict,
                existing !== undefined && can.canManage(p, existing, undefined),
              );
              if (decision.kind === 'create') {
                const row = newSecretRow({
                  workspaceId: p.workspaceId,
                  scope,
                  ownerId,
                  name: entry.name,
                  value: entry.value,
                  actor: p.subject,
                  now,
                });
                created.push({ row, value: entry.value });
                events.push({
                  action: 'secret.import',
                  outcome: 'SUCCESS',
                  ...actor,
                  secretId: row.id,
                  secretName: row.name,
                  scope,
                  version: 1,
                  reason: 'created',
                });
                result.created += 1;
                continue;
              }
              if (decision.kind === 'skip') {
                result.skipped += 1;
                continue;
              }
              if (decision.kind === 'refuse') {
                throw decision.forbidden
                  ? refusals.about(decision.error, decision.forbidden)
                  : decision.error;
              }
              const locked = (await secretStore.lockSecret(tx, decision.existing.id))!;
              const updated = await writer.rotate(tx, locked, entry.value, p.subject, now);
              events.push({
                action: 'secret.import',
                outcome: 'SUCCESS',
                ...actor,
                secretId: updated.id,
                secretName: updated.name,
                scope,
                version: updated.currentVersion,
                reason: 'updated',
              });
              result.updated += 1;
            }
            await writer.insertNewMany(tx, created);
            await auditLog.append(tx, events);
          }),
        );
      } catch (error) {
        if (isStorageError(error, 'unique-violation')) {
          throw new DomainError(
            'CONFLICT',
            'A secret in the import was created concurrently; nothing was imported.',
            { cause: error },
          );
        }
        throw error;
      }
      return result;
    },
  };
}
