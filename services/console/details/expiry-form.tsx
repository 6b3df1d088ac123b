import { useState } from 'react';
import type { SecretDetailsFragment } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { formatExact } from '../ui/format-time';
import type { Message } from '../ui/messages';
import { useSecretUpdate } from './use-secret-update';

/** `2026-12-31T09:30` in the browser's time zone, as a datetime-local field holds it. */
function toLocalField(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/**
 * Expiry and the rotation reminder (SPEC §5.1): after `expiresAt` the resolver refuses
 * the secret; `rotationIntervalDays` sets when a rotation is due, counted from the last
 * one. An empty field clears it. Plain facts for those who may not change them.
 */
export function ExpiryForm({
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
  const savedExpires = toLocalField(secret.expiresAt);
  const savedInterval = secret.rotationIntervalDays ? String(secret.rotationIntervalDays) : '';
  const [expires, setExpires] = useState(savedExpires);
  const [interval, setIntervalDays] = useState(savedInterval);
  const { saving, save: update } = useSecretUpdate({ client, secret, onSaved, announce });
  const changed = expires !== savedExpires || interval !== savedInterval;

  const facts = (
    <dl className="facts">
      <dt>Expires</dt>
      <dd>{secret.expiresAt ? formatExact(secret.expiresAt) : <span className="muted">Never</span>}</dd>
      <dt>Rotation due</dt>
      <dd>
        {secret.rotationDueAt ? (
          <>
            {formatExact(secret.rotationDueAt)}{' '}
            <span className="muted">(every {secret.rotationIntervalDays} days)</span>
          </>
        ) : (
          <span className="muted">No reminder</span>
        )}
      </dd>
    </dl>
  );
  if (!canEdit) return facts;

  const save = () =>
    update(
      {
        expiresAt: expires === '' ? null : new Date(expires).toISOString(),
        rotationIntervalDays: interval === '' ? null : Number(interval),
      },
      `Saved the expiry and reminder of ${secret.name}.`,
    );

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {facts}
      <label className="field">
        <span>Expires at (empty: never)</span>
        <input
          type="datetime-local"
          value={expires}
          onChange={(event) => setExpires(event.currentTarget.value)}
        />
      </label>
      <label className="field">
        <span>Remind to rotate every (days; empty: no reminder)</span>
        <input
          type="number"
          min={1}
          max={3650}
          inputMode="numeric"
          value={interval}
          onChange={(event) => setIntervalDays(event.currentTarget.value)}
        />
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={!changed || saving}>
          {saving ? 'Saving…' : 'Save expiry'}
        </button>
      </div>
    </form>
  );
}
