import { useEffect, useState } from 'react';
import type { SecretDetailsFragment, SecretVersionsQuery as VersionsData } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import { formatExact } from '../ui/format-time';
import type { Message } from '../ui/messages';
import { ModalDialog } from '../ui/modal-dialog';
import {
  DestroySecretVersionMutation,
  RestoreSecretVersionMutation,
  SecretVersionsQuery,
} from './details-queries';

type Version = NonNullable<VersionsData['secret']>['versions']['edges'][number]['node'];

/** Versions shown at once: the default retention keeps 10 values, so 20 covers what can be restored. */
const SHOWN = 20;

/**
 * Versions of a secret (SPEC §5.1): who wrote each and its masked preview, which were
 * restored from which, and which were destroyed. Managers restore an older value as a
 * new version (the API copies the sealed value, it never decrypts) or destroy a
 * non-current one for good, after confirming.
 */
export function VersionsPanel({
  client,
  secret,
  canManage,
  onChanged,
  announce,
}: {
  client: GraphQLClient;
  secret: SecretDetailsFragment;
  canManage: boolean;
  onChanged: (secret: SecretDetailsFragment) => void;
  announce: (message: Message) => void;
}) {
  const [versions, setVersions] = useState<{ total: number; list: Version[] }>();
  const [destroying, setDestroying] = useState<number>();
  const [busy, setBusy] = useState(false);
  /** Bumped after each change made here: a destroy leaves the secret's own fields as they were. */
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    client
      .request(SecretVersionsQuery, { id: secret.id, first: SHOWN }, controller.signal)
      .then((data) => {
        const connection = data.secret?.versions;
        setVersions({ total: connection?.totalCount ?? 0, list: connection?.edges.map((e) => e.node) ?? [] });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) announce({ kind: 'error', text: asConsoleError(error).message });
      });
    return () => controller.abort();
    // Read again after a rotation elsewhere on the page (a new version) and after each change here.
  }, [client, secret.id, secret.version, revision, announce]);

  const change = async (kind: 'restore' | 'destroy', version: number) => {
    setBusy(true);
    try {
      const input = { input: { id: secret.id, version } };
      const updated =
        kind === 'restore'
          ? (await client.request(RestoreSecretVersionMutation, input)).restoreSecretVersion
          : (await client.request(DestroySecretVersionMutation, input)).destroySecretVersion;
      onChanged(updated);
      setRevision((r) => r + 1);
      announce({
        kind: 'status',
        text:
          kind === 'restore'
            ? `Restored version ${version} of ${secret.name} as version ${updated.version}.`
            : `Destroyed the value of version ${version} of ${secret.name}.`,
      });
    } catch (error) {
      announce({ kind: 'error', text: asConsoleError(error).message });
    } finally {
      setBusy(false);
      setDestroying(undefined);
    }
  };

  if (!versions) return <p className="muted">Loading versions…</p>;
  return (
    <>
      <table className="members-table versions-table">
        <caption className="sr-only">Versions of {secret.name}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Value</th>
            <th scope="col">Written</th>
            {canManage && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {versions.list.map((v) => {
            const current = v.version === secret.version;
            return (
              <tr key={v.version}>
                <th scope="row">
                  v{v.version}
                  {current && <span className="tag">current</span>}
                  {v.restoredFrom !== null && v.restoredFrom !== undefined && (
                    <span className="muted"> · restored from v{v.restoredFrom}</span>
                  )}
                </th>
                <td>
                  {v.destroyed ? (
                    <span className="muted">destroyed</span>
                  ) : (
                    <code className="masked">{v.maskedPreview}</code>
                  )}
                </td>
                <td>
                  {formatExact(v.createdAt)} by {v.createdBy}
                </td>
                {canManage && (
                  <td className="row-actions">
                    {!current && !v.destroyed && (
                      <>
                        <button
                          type="button"
                          className="link-button"
                          disabled={busy}
                          onClick={() => void change('restore', v.version)}
                        >
                          Restore<span className="sr-only"> version {v.version}</span>
                        </button>
                        <button
                          type="button"
                          className="link-button danger"
                          disabled={busy}
                          onClick={() => setDestroying(v.version)}
                        >
                          Destroy<span className="sr-only"> version {v.version}</span>
                        </button>
                      </>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {versions.total > versions.list.length && (
        <p className="muted">
          The newest {versions.list.length} of {versions.total} versions.
        </p>
      )}
      {destroying !== undefined && (
        <ModalDialog
          title={`Destroy version ${destroying} of ${secret.name}?`}
          onClose={() => setDestroying(undefined)}
        >
          <p>
            Its value is deleted for good and can no longer be restored. Who wrote it and when stay in the
            list and in the audit trail.
          </p>
          <div className="modal-actions">
            <button type="button" autoFocus onClick={() => setDestroying(undefined)}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void change('destroy', destroying)}
            >
              Destroy version {destroying}
            </button>
          </div>
        </ModalDialog>
      )}
    </>
  );
}
