import { useEffect, useId, useRef, type ClipboardEvent } from 'react';
import type { GraphQLClient } from '../graphql/graphql-client';
import type { Message } from '../ui/messages';
import { isDotenvPaste } from './dotenv-paste';
import { DraftRows } from './draft-rows';
import type { FirstPages } from './first-pages';
import { SecretRows } from './secret-rows';
import { useDrafts } from './use-drafts';
import { PAGE_SIZE, useSecretPages } from './use-secret-pages';

export type Scope = 'WORKSPACE' | 'PERSONAL';

const numbers = new Intl.NumberFormat('en');

/**
 * One section of the secrets page (Workspace or Personal): a page of saved secrets,
 * the editable rows for new ones when the caller may create them, paging, and Save.
 */
export function SecretSection({
  client,
  scope,
  title,
  intro,
  canCreate,
  search,
  includeSystemManaged,
  reloadSignal,
  announce,
  onDotenvPaste,
  firstPages,
}: {
  client: GraphQLClient;
  scope: Scope;
  title: string;
  intro: string;
  canCreate: boolean;
  search: string;
  includeSystemManaged: boolean;
  /** Bumped by the page after an import into this section. */
  reloadSignal: number;
  announce: (message: Message) => void;
  onDotenvPaste: (text: string, scope: Scope) => void;
  firstPages?: FirstPages;
}) {
  const headingId = useId();
  const table = useRef<HTMLTableElement>(null);
  const pages = useSecretPages(client, { scope, search, includeSystemManaged, enabled: true, firstPages });
  const drafts = useDrafts(client, scope);
  const { reload } = pages;
  useEffect(() => {
    if (reloadSignal > 0) reload();
  }, [reloadSignal, reload]);

  const handlePaste = (event: ClipboardEvent<HTMLInputElement>, field: 'key' | 'value') => {
    const text = event.clipboardData.getData('text/plain');
    if (!isDotenvPaste(text, field)) return;
    // The pasted text is not put into the field: it goes to the import preview only.
    event.preventDefault();
    onDotenvPaste(text, scope);
  };

  const save = async () => {
    const { saved, failed } = await drafts.save();
    if (saved.length > 0) reload();
    const savedText =
      saved.length === 1 ? `Saved ${saved[0]}.` : saved.length > 1 ? `Saved ${saved.length} secrets.` : '';
    const failedText = failed > 0 ? `${failed === 1 ? 'One row was' : `${failed} rows were`} not saved.` : '';
    announce({ kind: failed > 0 ? 'error' : 'status', text: `${savedText} ${failedText}`.trim() });
  };

  const addSecret = () => {
    const blank = table.current?.querySelector<HTMLInputElement>('.draft:last-child .key-input');
    blank?.scrollIntoView({ block: 'nearest' });
    blank?.focus();
  };

  const emptyText = search.trim()
    ? `No ${title.toLowerCase()} secret matches “${search.trim()}”.`
    : `No ${title.toLowerCase()} secrets yet.`;
  const last = Math.min(pages.firstIndex + pages.rows.length, pages.total);

  return (
    <section className="panel" aria-labelledby={headingId} aria-busy={pages.loading}>
      <header className="panel-header">
        <div>
          <h2 id={headingId}>{title}</h2>
          <p className="muted">{intro}</p>
        </div>
        <p className="count muted">
          {pages.loaded
            ? `${numbers.format(pages.total)} ${pages.total === 1 ? 'secret' : 'secrets'}`
            : 'Loading…'}
        </p>
      </header>
      {pages.error && (
        <p className="message message-error" role="alert">
          {pages.error.message}
        </p>
      )}
      <div className="table-scroll">
        <table ref={table} className="secrets-table">
          <caption className="sr-only">{title} secrets</caption>
          <colgroup>
            <col className="col-key" />
            <col className="col-value" />
            <col />
            <col className="col-version" />
            <col className="col-when" />
            <col className="col-when" />
            <col className="col-actions" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">Description</th>
              <th scope="col" className="numeric">
                Version
              </th>
              <th scope="col">Updated</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <SecretRows rows={pages.rows} emptyText={pages.loaded ? emptyText : 'Loading…'} />
          {canCreate && (
            <DraftRows
              drafts={drafts.drafts}
              update={drafts.update}
              remove={drafts.remove}
              valueRef={drafts.valueRef}
              onPaste={handlePaste}
              onEnter={() => void save()}
            />
          )}
        </table>
      </div>
      <footer className="panel-footer">
        {(pages.total > PAGE_SIZE || pages.hasPrevious) && (
          <nav className="pager" aria-label={`${title} pages`}>
            <button type="button" disabled={!pages.hasPrevious} onClick={pages.previous}>
              Previous page
            </button>
            <span className="muted">
              {pages.total > 0
                ? `${numbers.format(pages.firstIndex + 1)}–${numbers.format(last)} of ${numbers.format(pages.total)}`
                : ''}
            </span>
            <button type="button" disabled={!pages.hasNext} onClick={pages.next}>
              Next page
            </button>
          </nav>
        )}
        {canCreate && (
          <div className="actions">
            <button type="button" onClick={addSecret}>
              Add secret
            </button>
            <button
              type="button"
              className="primary"
              disabled={!drafts.dirty || drafts.saving}
              onClick={() => void save()}
            >
              {drafts.saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </footer>
    </section>
  );
}
