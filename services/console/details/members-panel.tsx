import { useState } from 'react';
import type { SecretDetailsFragment, SecretMemberRole } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import type { Message } from '../ui/messages';
import { AddSecretMemberMutation, RemoveSecretMemberMutation } from './details-queries';

const ROLE_LABELS: Record<SecretMemberRole, string> = { ADMIN: 'Admin', MEMBER: 'Member' };
/** The API's identifier rule for a user id (SPEC: ids are 1 to 128 of letters, digits and . _ : @ -). */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/**
 * Per-secret members (SPEC §3): an Admin may edit, rotate and delete the secret and
 * manage its members; a Member may use it. A secret with members is restricted to them.
 */
export function MembersPanel({
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
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<SecretMemberRole>('MEMBER');
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<SecretDetailsFragment>, done: string) => {
    setBusy(true);
    try {
      onChanged(await action());
      announce({ kind: 'status', text: done });
      return true;
    } catch (error) {
      announce({ kind: 'error', text: asConsoleError(error).message });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    const id = userId.trim();
    if (!USER_ID.test(id)) {
      announce({ kind: 'error', text: 'A user ID is 1 to 128 letters, digits or . _ : @ - characters.' });
      return;
    }
    const added = await run(
      async () =>
        (await client.request(AddSecretMemberMutation, { input: { secretId: secret.id, userId: id, role } }))
          .addSecretMember,
      `Added ${id} as ${ROLE_LABELS[role]}.`,
    );
    if (added) setUserId('');
  };

  const changeRole = (member: string, next: SecretMemberRole) =>
    run(
      async () =>
        (
          await client.request(AddSecretMemberMutation, {
            input: { secretId: secret.id, userId: member, role: next },
          })
        ).addSecretMember,
      `${member} is now ${ROLE_LABELS[next]}.`,
    );

  const remove = (member: string) =>
    run(
      async () =>
        (await client.request(RemoveSecretMemberMutation, { input: { secretId: secret.id, userId: member } }))
          .removeSecretMember,
      `Removed ${member}.`,
    );

  return (
    <div className="members">
      <p className="muted">
        {secret.members.length === 0
          ? 'No members: everyone in the workspace may use this secret in runs.'
          : 'Restricted: only these members may use this secret in runs. Workspace admins still manage it.'}
      </p>
      {secret.members.length > 0 && (
        <table className="members-table">
          <caption className="sr-only">Members of {secret.name}</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              {canManage && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {secret.members.map((member) => (
              <tr key={member.userId}>
                <th scope="row">{member.userId}</th>
                <td>
                  {canManage ? (
                    <select
                      aria-label={`Role of ${member.userId}`}
                      value={member.role}
                      disabled={busy}
                      onChange={(event) =>
                        void changeRole(member.userId, event.currentTarget.value as SecretMemberRole)
                      }
                    >
                      <option value="ADMIN">Admin</option>
                      <option value="MEMBER">Member</option>
                    </select>
                  ) : (
                    ROLE_LABELS[member.role]
                  )}
                </td>
                {canManage && (
                  <td className="row-actions">
                    <button
                      type="button"
                      className="link-button danger"
                      disabled={busy}
                      onClick={() => void remove(member.userId)}
                    >
                      Remove<span className="sr-only"> {member.userId}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void add();
          }}
        >
          <label className="field">
            <span>User ID</span>
            <input
              value={userId}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setUserId(event.currentTarget.value)}
            />
          </label>
          <label className="field">
            <span>Role</span>
            <select value={role} onChange={(event) => setRole(event.currentTarget.value as SecretMemberRole)}>
              <option value="ADMIN">Admin</option>
              <option value="MEMBER">Member</option>
            </select>
          </label>
          <button type="submit" disabled={busy || userId.trim() === ''}>
            Add member
          </button>
        </form>
      )}
    </div>
  );
}
