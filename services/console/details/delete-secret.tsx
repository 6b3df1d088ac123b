import { useState } from 'react';
import type { SecretDetailsFragment } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import { ModalDialog } from '../ui/modal-dialog';
import { DeleteSecretMutation } from './details-queries';

/**
 * Deleting asks first, naming the secret and what breaks: every workflow that
 * references it fails its check for missing secrets (and its runs fail at that step).
 */
export function DeleteSecret({
  client,
  secret,
  onDeleted,
}: {
  client: GraphQLClient;
  secret: SecretDetailsFragment;
  onDeleted: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await client.request(DeleteSecretMutation, { id: secret.id });
      onDeleted();
    } catch (caught) {
      setError(asConsoleError(caught).message);
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete secret
      </button>
      {confirming && (
        <ModalDialog title={`Delete ${secret.name}?`} onClose={() => setConfirming(false)}>
          <p>
            Workflows that reference <code>{`{{secrets.${secret.name}}}`}</code> will fail their check for
            missing secrets, and their runs will stop at the step that uses it.
          </p>
          <p>All versions of its value are destroyed. This cannot be undone; the audit trail stays.</p>
          {error && (
            <p className="message message-error" role="alert">
              {error}
            </p>
          )}
          <div className="modal-actions">
            <button type="button" autoFocus onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
              Delete {secret.name}
            </button>
          </div>
        </ModalDialog>
      )}
    </>
  );
}
