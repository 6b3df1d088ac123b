import { useEffect, useState } from 'react';
import type { SecretDetailsFragment } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import type { Abilities } from '../session/abilities';
import { formatExact } from '../ui/format-time';
import { Messages, type Message } from '../ui/messages';
import { AboutForm } from './about-form';
import { DeleteSecret } from './delete-secret';
import { ExpiryForm } from './expiry-form';
import { SecretDetailsQuery } from './details-queries';
import { MembersPanel } from './members-panel';
import { RotateValue } from './rotate-value';
import { VersionsPanel } from './versions-panel';

/**
 * Details of one secret (SPEC §12): Display Name and Description, Members, Update
 * value, versions, expiry and Delete for those who may manage it; the same facts,
 * read-only, for everyone else and for system-managed secrets.
 */
export function DetailsPage({
  client,
  abilities,
  secretId,
  onDeleted,
}: {
  client: GraphQLClient;
  abilities: Abilities;
  secretId: string;
  onDeleted: (name: string) => void;
}) {
  const [secret, setSecret] = useState<SecretDetailsFragment | null>();
  const [message, setMessage] = useState<Message>();

  useEffect(() => {
    const controller = new AbortController();
    client
      .request(SecretDetailsQuery, { id: secretId }, controller.signal)
      .then((data) => setSecret(data.secret ?? null))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setMessage({ kind: 'error', text: asConsoleError(error).message });
      });
    return () => controller.abort();
  }, [client, secretId]);

  if (secret === undefined) {
    return (
      <main id="main" className="page">
        <a className="back" href="#/">
          Back to secrets
        </a>
        <Messages message={message} />
        {!message && <p className="muted">Loading…</p>}
      </main>
    );
  }
  if (secret === null) {
    return (
      <main id="main" className="page">
        <a className="back" href="#/">
          Back to secrets
        </a>
        <h1 tabIndex={-1}>Secret not found</h1>
        <p>This secret no longer exists, or you cannot see it.</p>
      </main>
    );
  }

  const manage = abilities.manage(secret);
  const title = secret.displayName || secret.name;
  return (
    <main id="main" className="page details">
      <a className="back" href="#/">
        Back to secrets
      </a>
      <header className="page-header">
        <div>
          <h1 tabIndex={-1}>{title}</h1>
          <p className="muted">
            <code className="key">{secret.name}</code> ·{' '}
            {secret.scope === 'WORKSPACE' ? 'Workspace' : 'Personal'} secret
            {secret.systemManaged && (
              <span className="tag tag-system">
                System-managed{secret.integration ? ` · ${secret.integration}` : ''} · read-only
              </span>
            )}
          </p>
        </div>
      </header>
      <Messages message={message} />
      {secret.systemManaged && (
        <p className="notice">
          The {secret.integration ?? 'integration'} integration manages this secret. Reconnect or revoke it
          from the integration; it cannot be changed here.
        </p>
      )}
      <div className="details-grid">
        <section className="panel" aria-labelledby="about-heading">
          <h2 id="about-heading">About</h2>
          <AboutForm
            key={`${secret.id}-${secret.updatedAt}`}
            client={client}
            secret={secret}
            canEdit={manage}
            onSaved={setSecret}
            announce={setMessage}
          />
        </section>
        <section className="panel" aria-labelledby="facts-heading">
          <h2 id="facts-heading">Value and history</h2>
          <dl className="facts">
            <dt>Value</dt>
            <dd>
              <code className="masked">{secret.maskedPreview}</code>
            </dd>
            <dt>Version</dt>
            <dd>{secret.version}</dd>
            <dt>Created</dt>
            <dd>
              {formatExact(secret.createdAt)} by {secret.createdBy}
            </dd>
            <dt>Updated</dt>
            <dd>
              {formatExact(secret.updatedAt)} by {secret.updatedBy}
            </dd>
            <dt>Last used</dt>
            <dd>{formatExact(secret.lastUsedAt)}</dd>
            {secret.scope === 'PERSONAL' && (
              <>
                <dt>Owner</dt>
                <dd>{secret.ownerId}</dd>
              </>
            )}
          </dl>
          {manage && (
            <RotateValue client={client} secret={secret} onRotated={setSecret} announce={setMessage} />
          )}
        </section>
        <section className="panel" aria-labelledby="versions-heading">
          <h2 id="versions-heading">Versions</h2>
          <VersionsPanel
            client={client}
            secret={secret}
            canManage={manage}
            onChanged={setSecret}
            announce={setMessage}
          />
        </section>
        <section className="panel" aria-labelledby="expiry-heading">
          <h2 id="expiry-heading">Expiry and rotation</h2>
          <ExpiryForm
            key={`${secret.id}-${secret.updatedAt}`}
            client={client}
            secret={secret}
            canEdit={manage}
            onSaved={setSecret}
            announce={setMessage}
          />
        </section>
        {secret.scope === 'WORKSPACE' && (
          <section className="panel" aria-labelledby="members-heading">
            <h2 id="members-heading">Members</h2>
            <MembersPanel
              client={client}
              secret={secret}
              canManage={manage}
              onChanged={setSecret}
              announce={setMessage}
            />
          </section>
        )}
        {manage && (
          <section className="panel panel-danger" aria-labelledby="delete-heading">
            <h2 id="delete-heading">Delete</h2>
            <p className="muted">
              Workflows that reference this secret will fail their check for missing secrets.
            </p>
            <DeleteSecret client={client} secret={secret} onDeleted={() => onDeleted(secret.name)} />
          </section>
        )}
      </div>
    </main>
  );
}
