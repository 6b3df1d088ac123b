import { useState } from 'react';
import type { SecretDetailsFragment } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import type { Message } from '../ui/messages';
import { useSecretUpdate } from './use-secret-update';

/** Display Name and Description, with Save; plain text for those who may not edit them. */
export function AboutForm({
  client,
  secret,
  canEdit,
  onSaved,
  announce,
}: {
  client: GraphQLClient;
  secret: SecretDetailsFragment;
  canEdit: boolean;
  onSaved: (secret: SecretDetailsFragment) => void;
  announce: (message: Message) => void;
}) {
  const [displayName, setDisplayName] = useState(secret.displayName);
  const [description, setDescription] = useState(secret.description);
  const { saving, save: update } = useSecretUpdate({ client, secret, onSaved, announce });
  const changed = displayName !== secret.displayName || description !== secret.description;

  if (!canEdit) {
    return (
      <dl className="facts">
        <dt>Display Name</dt>
        <dd>{secret.displayName || <span className="muted">None</span>}</dd>
        <dt>Description</dt>
        <dd>{secret.description || <span className="muted">None</span>}</dd>
      </dl>
    );
  }

  const save = () => update({ displayName, description }, `Saved the details of ${secret.name}.`);

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label className="field">
        <span>Display Name</span>
        <input
          value={displayName}
          maxLength={256}
          autoComplete="off"
          onChange={(event) => setDisplayName(event.currentTarget.value)}
        />
      </label>
      <label className="field">
        <span>Description</span>
        <textarea
          value={description}
          rows={3}
          maxLength={2048}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={!changed || saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
