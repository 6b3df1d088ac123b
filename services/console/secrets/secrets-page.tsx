import { useEffect, useState } from 'react';
import type { GraphQLClient } from '../graphql/graphql-client';
import type { Abilities } from '../session/abilities';
import type { TokenClaims } from '../session/token-claims';
import { Messages, type Message } from '../ui/messages';
import type { FirstPages } from './first-pages';
import { describeCounts, ImportPreview } from './import-preview';
import { SecretSection, type Scope } from './secret-section';

/** How long typing may pause before the search is sent. */
const SEARCH_DELAY_MS = 250;

/**
 * The secrets page (SPEC §12): Workspace and Personal sections, search by name, the
 * system-managed toggle, and the import preview for a pasted .env text.
 */
export function SecretsPage({
  client,
  claims,
  abilities,
  initialMessage,
  firstPages,
}: {
  client: GraphQLClient;
  claims: TokenClaims;
  abilities: Abilities;
  /** What another page left to say (e.g. after a deletion). */
  initialMessage?: Message;
  /** The first page of each section, requested before React loaded. */
  firstPages?: FirstPages;
}) {
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [includeSystemManaged, setIncludeSystemManaged] = useState(false);
  const [message, setMessage] = useState<Message>(initialMessage);
  const [pasted, setPasted] = useState<{ text: string; scope: Scope }>();
  const [reloads, setReloads] = useState<Record<Scope, number>>({ WORKSPACE: 0, PERSONAL: 0 });

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchText), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  const closeImport = (imported?: { created: number; updated: number; skipped: number }) => {
    const scope = pasted?.scope;
    setPasted(undefined);
    if (imported && scope) {
      setReloads((r) => ({ ...r, [scope]: r[scope] + 1 }));
      setMessage({ kind: 'status', text: `Imported: ${describeCounts(imported)}.` });
    }
  };

  const external = claims.role === 'external';
  return (
    <main id="main" className="page">
      <header className="page-header">
        <div>
          <h1 tabIndex={-1}>Secrets</h1>
          <p className="muted">
            Values are write-only: once saved they are never shown again. Workflows reference a secret by its
            key, as <code>{'{{secrets.KEY}}'}</code>.
          </p>
        </div>
      </header>
      <div className="toolbar">
        <input
          type="search"
          className="search"
          aria-label="Search by name"
          placeholder="Search by name"
          value={searchText}
          onChange={(event) => setSearchText(event.currentTarget.value)}
        />
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={includeSystemManaged}
            onChange={(event) => setIncludeSystemManaged(event.currentTarget.checked)}
          />
          <span>Show system-managed secrets</span>
        </label>
      </div>
      <Messages message={message} />
      <SecretSection
        client={client}
        scope="WORKSPACE"
        title="Workspace"
        intro={`Shared with everyone in workspace ${claims.workspaceId}.${abilities.create('WORKSPACE') ? '' : ' Only workspace admins add them.'}`}
        canCreate={abilities.create('WORKSPACE')}
        search={search}
        includeSystemManaged={includeSystemManaged}
        reloadSignal={reloads.WORKSPACE}
        firstPages={firstPages}
        announce={setMessage}
        onDotenvPaste={(text, scope) => setPasted({ text, scope })}
      />
      <SecretSection
        client={client}
        scope="PERSONAL"
        title="Personal"
        intro={
          external
            ? 'External members keep no personal secrets.'
            : 'Only you can see these. Runs you start, and workflows you own, use them when the workspace has no secret of that key.'
        }
        canCreate={abilities.create('PERSONAL')}
        search={search}
        includeSystemManaged={includeSystemManaged}
        reloadSignal={reloads.PERSONAL}
        firstPages={firstPages}
        announce={setMessage}
        onDotenvPaste={(text, scope) => setPasted({ text, scope })}
      />
      {pasted && (
        <ImportPreview client={client} scope={pasted.scope} text={pasted.text} onClose={closeImport} />
      )}
    </main>
  );
}
