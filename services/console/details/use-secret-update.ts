import { useState } from 'react';
import type { SecretDetailsFragment, UpdateSecretInput } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import type { Message } from '../ui/messages';
import { UpdateSecretMutation } from './details-queries';

/**
 * Saving part of a secret's metadata through `updateSecret`: the answer replaces the
 * secret shown, and the outcome is announced (the error's safe message, or `savedText`).
 */
export function useSecretUpdate({
  client,
  secret,
  onSaved,
  announce,
}: {
  client: GraphQLClient;
  secret: SecretDetailsFragment;
  onSaved: (secret: SecretDetailsFragment) => void;
  announce: (message: Message) => void;
}) {
  const [saving, setSaving] = useState(false);
  const save = async (fields: Omit<UpdateSecretInput, 'id'>, savedText: string) => {
    setSaving(true);
    try {
      const data = await client.request(UpdateSecretMutation, { input: { id: secret.id, ...fields } });
      onSaved(data.updateSecret);
      announce({ kind: 'status', text: savedText });
    } catch (error) {
      announce({ kind: 'error', text: asConsoleError(error).message });
    } finally {
      setSaving(false);
    }
  };
  return { saving, save };
}
