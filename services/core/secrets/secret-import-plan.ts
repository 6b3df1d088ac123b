import type { SecretRow } from '../../storage/entities/secret-entity.js';
import { DomainError } from '../../protocol/domain-error.js';
import type { DotenvEntry } from './dotenv-import.js';
import type { ImportConflict } from './secret-types.js';

/** What an import does with one entry of the .env text. */
export type ImportDecision<Existing> =
  | { kind: 'create' }
  | { kind: 'skip' }
  | { kind: 'overwrite'; existing: Existing }
  /**
   * The whole import fails: the name exists and, with FAIL, must not be overwritten
   * (`CONFLICT`), or may not be by this caller (`FORBIDDEN`, the refusal is audited).
   */
  | { kind: 'refuse'; error: DomainError; forbidden?: Existing };

/**
 * The one rule for an entry whose name may already exist, shared by the real import
 * and its dry run so that a preview can never promise what the import would refuse.
 * `mayOverwrite` is the caller's right to manage the existing secret.
 */
export function decideImportEntry<Existing extends Pick<SecretRow, 'systemManaged'>>(
  entry: Pick<DotenvEntry, 'name' | 'line'>,
  existing: Existing | undefined,
  onConflict: ImportConflict,
  mayOverwrite: boolean,
): ImportDecision<Existing> {
  if (!existing) return { kind: 'create' };
  if (onConflict === 'SKIP') return { kind: 'skip' };
  if (onConflict === 'OVERWRITE' && !existing.systemManaged && mayOverwrite) {
    return { kind: 'overwrite', existing };
  }
  const why = existing.systemManaged
    ? 'is system-managed'
    : onConflict === 'FAIL'
      ? 'already exists'
      : 'may not be overwritten by you';
  const error = new DomainError(
    onConflict === 'FAIL' ? 'CONFLICT' : 'FORBIDDEN',
    `Line ${entry.line}: ${entry.name} ${why}; nothing was imported.`,
    { details: { field: 'dotenv', line: entry.line } },
  );
  return onConflict === 'FAIL' ? { kind: 'refuse', error } : { kind: 'refuse', error, forbidden: existing };
}

/** The counts an import reports. */
export interface ImportCounts {
  created: number;
  updated: number;
  skipped: number;
}

/**
 * `importSecrets(dryRun: true)`: the counts the import would report, or the error it
 * would fail with, from one read of the names that already exist. It writes nothing,
 * not even an audit record: nothing was attempted.
 */
export function planImport(
  entries: ReadonlyArray<Pick<DotenvEntry, 'name' | 'line'>>,
  existingByName: ReadonlyMap<string, SecretRow>,
  onConflict: ImportConflict,
  mayOverwrite: (existing: SecretRow) => boolean,
): ImportCounts {
  const counts: ImportCounts = { created: 0, updated: 0, skipped: 0 };
  for (const entry of entries) {
    const existing = existingByName.get(entry.name);
    const decision = decideImportEntry(
      entry,
      existing,
      onConflict,
      existing ? mayOverwrite(existing) : false,
    );
    if (decision.kind === 'refuse') throw decision.error;
    if (decision.kind === 'create') counts.created += 1;
    else if (decision.kind === 'skip') counts.skipped += 1;
    else counts.updated += 1;
  }
  return counts;
}
