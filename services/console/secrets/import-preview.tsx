import { useEffect, useId, useState } from 'react';
import type { ImportConflict } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import { ModalDialog } from '../ui/modal-dialog';
import { dotenvNames } from './dotenv-paste';
import { ImportSecretsMutation } from './secrets-queries';
import type { Scope } from './secret-section';

interface Counts {
  created: number;
  updated: number;
  skipped: number;
}

const CHOICES: Array<{ value: ImportConflict; label: string; hint: string }> = [
  { value: 'SKIP', label: 'Skip existing names', hint: 'Keep their current values.' },
  { value: 'OVERWRITE', label: 'Overwrite existing names', hint: 'Store the pasted value as a new version.' },
  { value: 'FAIL', label: 'Import nothing if a name exists', hint: 'The whole import is refused.' },
];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The counts in words: "3 new secrets, 1 updated, 1 skipped". */
export function describeCounts({ created, updated, skipped }: Counts): string {
  const parts = [plural(created, 'new secret'), `${updated} updated`, `${skipped} skipped`];
  return parts.join(', ');
}

/**
 * The preview of a pasted .env text: the API's dry run (`importSecrets(dryRun: true)`)
 * tells what the import would do under the chosen conflict rule, or why it would fail;
 * Import then runs it for real with the same rule. The text itself is never shown: it
 * holds values. It is dropped when the dialog closes.
 */
export function ImportPreview({
  client,
  scope,
  text,
  onClose,
}: {
  client: GraphQLClient;
  scope: Scope;
  text: string;
  /** With the counts after an import, without them when cancelled. */
  onClose: (imported?: Counts) => void;
}) {
  const names = dotenvNames(text);
  const [onConflict, setOnConflict] = useState<ImportConflict>('SKIP');
  const [preview, setPreview] = useState<{ choice: ImportConflict; counts?: Counts; error?: string }>();
  const [importing, setImporting] = useState(false);
  const [importError, setImportError] = useState<string>();
  const hintId = useId();

  useEffect(() => {
    const controller = new AbortController();
    client
      .request(
        ImportSecretsMutation,
        { input: { dotenv: text, scope, onConflict, dryRun: true } },
        controller.signal,
      )
      .then((data) => setPreview({ choice: onConflict, counts: data.importSecrets }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          setPreview({ choice: onConflict, error: asConsoleError(error).message });
      });
    return () => controller.abort();
  }, [client, text, scope, onConflict]);

  const current = preview?.choice === onConflict ? preview : undefined;

  const runImport = async () => {
    setImporting(true);
    setImportError(undefined);
    try {
      const data = await client.request(ImportSecretsMutation, {
        input: { dotenv: text, scope, onConflict, dryRun: false },
      });
      onClose(data.importSecrets);
    } catch (error) {
      setImportError(asConsoleError(error).message);
      setImporting(false);
    }
  };

  return (
    <ModalDialog title="Import from .env" onClose={() => onClose()} className="import-dialog">
      <p>
        {plural(names.length, 'entry', 'entries')} pasted into{' '}
        {scope === 'WORKSPACE' ? 'Workspace' : 'Personal'} secrets. Values are not shown.
      </p>
      {names.length > 0 && (
        <ul className="name-list" aria-label="Names in the pasted text">
          {names.map((name) => (
            <li key={name}>
              <code>{name}</code>
            </li>
          ))}
        </ul>
      )}
      <fieldset className="choices">
        <legend>When a name already exists</legend>
        {CHOICES.map((choice) => (
          <label key={choice.value} className="choice">
            <input
              type="radio"
              name="on-conflict"
              value={choice.value}
              checked={onConflict === choice.value}
              aria-describedby={`${hintId}-${choice.value}`}
              onChange={() => setOnConflict(choice.value)}
            />
            <span>
              {choice.label}
              <span id={`${hintId}-${choice.value}`} className="hint">
                {choice.hint}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="preview-result" aria-live="polite">
        {!current && <p className="muted">Checking what the import would do…</p>}
        {current?.counts && <p className="message message-ok">Preview: {describeCounts(current.counts)}.</p>}
        {current?.error && <p className="message message-error">{current.error}</p>}
      </div>
      {importError && (
        <p className="message message-error" role="alert">
          {importError}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" onClick={() => onClose()}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={!current?.counts || importing}
          onClick={() => void runImport()}
        >
          {importing ? 'Importing…' : 'Import'}
        </button>
      </div>
    </ModalDialog>
  );
}
