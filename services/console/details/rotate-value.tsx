import { useId, useRef, useState } from 'react';
import type { SecretDetailsFragment } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import { SecretValueInput } from '../secrets/secret-value-input';
import type { Message } from '../ui/messages';
import { UpdateSecretValueMutation } from './details-queries';

/**
 * "Update value": a rotation. The new value is read from its field once, the field
 * is emptied (a fresh element) before the answer arrives, and the version goes up;
 * workflows keep their references and get the new value on their next run.
 */
export function RotateValue({
  client,
  secret,
  onRotated,
  announce,
}: {
  client: GraphQLClient;
  secret: SecretDetailsFragment;
  onRotated: (secret: SecretDetailsFragment) => void;
  announce: (message: Message) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [hasValue, setHasValue] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();

  const rotate = async () => {
    const value = input.current?.value ?? '';
    if (input.current) input.current.value = '';
    setGeneration((g) => g + 1);
    setHasValue(false);
    if (value === '') return;
    setBusy(true);
    try {
      const data = await client.request(UpdateSecretValueMutation, { input: { id: secret.id, value } });
      onRotated(data.updateSecretValue);
      announce({
        kind: 'status',
        text: `Stored the new value of ${secret.name} as version ${data.updateSecretValue.version}.`,
      });
    } catch (error) {
      announce({ kind: 'error', text: `${asConsoleError(error).message} Type the value again to retry.` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void rotate();
      }}
    >
      <div className="field field-grow">
        <label htmlFor={fieldId}>New value</label>
        <SecretValueInput
          id={fieldId}
          key={generation}
          inputRef={input}
          label="New value"
          onPresenceChange={setHasValue}
        />
      </div>
      <button type="submit" className="primary" disabled={!hasValue || busy}>
        Update value
      </button>
    </form>
  );
}
