import { useEffect, useMemo, useRef, useState } from 'react';
import { AuditPage } from '../audit/audit-page';
import { DetailsPage } from '../details/details-page';
import { createGraphQLClient } from '../graphql/graphql-client';
import { ReferencesPage } from '../references/references-page';
import type { FirstPages } from '../secrets/first-pages';
import { SecretsPage } from '../secrets/secrets-page';
import { abilitiesOf } from '../session/abilities';
import { isExpired, readTokenClaims } from '../session/token-claims';
import type { Message } from '../ui/messages';
import { useHashRoute, type Route } from './hash-route';
import { SignedOut } from './signed-out';

const TITLES: Record<Route['page'], string> = {
  secrets: 'Secrets',
  details: 'Secret details',
  references: 'Reference check',
  audit: 'Audit log',
};

/** The signed-in console: navigation, and the page the address names. */
export function App({
  token,
  onSignOut,
  firstPages,
}: {
  token: string;
  onSignOut: (expired: boolean) => void;
  firstPages?: FirstPages;
}) {
  const route = useHashRoute();
  const claims = useMemo(() => readTokenClaims(token), [token]);
  const [leftMessage, setLeftMessage] = useState<Message>();
  const main = useRef<HTMLDivElement>(null);
  const client = useMemo(
    () => createGraphQLClient({ token, onUnauthenticated: () => onSignOut(true) }),
    [token, onSignOut],
  );
  const firstRoute = useRef(true);

  useEffect(() => {
    document.title = `${TITLES[route.page]} · Strongroom`;
    // After a page change, keyboard and screen-reader users start at the new page's heading.
    if (!firstRoute.current) main.current?.querySelector<HTMLElement>('h1')?.focus();
    firstRoute.current = false;
  }, [route]);

  if (!claims) return <SignedOut reason="invalid" />;
  if (isExpired(claims)) return <SignedOut reason="expired" />;
  const abilities = abilitiesOf(claims);

  const allowed = (page: Route['page']) =>
    page === 'audit'
      ? abilities.readAudit
      : page === 'references'
        ? abilities.checkReferences
        : abilities.listSecrets;
  // A page the token may not use falls back to one it may: an auditor's token lands on the audit log.
  const page: Route['page'] | undefined = allowed(route.page)
    ? route.page
    : abilities.listSecrets
      ? 'secrets'
      : abilities.readAudit
        ? 'audit'
        : undefined;

  const nav: Array<{ href: string; label: string; current: boolean; shown: boolean }> = [
    {
      href: '#/',
      label: 'Secrets',
      current: page === 'secrets' || page === 'details',
      shown: abilities.listSecrets,
    },
    {
      href: '#/references',
      label: 'Reference check',
      current: page === 'references',
      shown: abilities.checkReferences,
    },
    { href: '#/audit', label: 'Audit log', current: page === 'audit', shown: abilities.readAudit },
  ];

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.querySelector<HTMLElement>('h1')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Strongroom
        </span>
        <nav aria-label="Console">
          <ul className="nav">
            {nav
              .filter((item) => item.shown)
              .map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <div className="identity">
          <span>
            {claims.subject}
            <span className="muted">
              {' '}
              · {claims.role ?? 'service'} · {claims.workspaceId}
            </span>
          </span>
          <button type="button" className="link-button" onClick={() => onSignOut(false)}>
            Sign out
          </button>
        </div>
      </header>
      <div ref={main} className="content">
        {page === undefined ? (
          <main id="main" className="page">
            <h1 tabIndex={-1}>Nothing to show</h1>
            <p>This token has no workspace role and no audit scope: the console has nothing it may show.</p>
          </main>
        ) : page === 'details' && route.page === 'details' ? (
          <DetailsPage
            key={route.secretId}
            client={client}
            abilities={abilities}
            secretId={route.secretId}
            onDeleted={(name) => {
              setLeftMessage({ kind: 'status', text: `Deleted ${name}.` });
              window.location.hash = '#/';
            }}
          />
        ) : page === 'references' ? (
          <ReferencesPage client={client} claims={claims} abilities={abilities} />
        ) : page === 'audit' ? (
          <AuditPage client={client} />
        ) : (
          <SecretsPage
            client={client}
            claims={claims}
            abilities={abilities}
            initialMessage={leftMessage}
            firstPages={firstPages}
          />
        )}
      </div>
    </div>
  );
}
