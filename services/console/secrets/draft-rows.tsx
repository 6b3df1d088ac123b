import type { ClipboardEvent, KeyboardEvent } from 'react';
import { SecretValueInput } from './secret-value-input';
import type { Draft } from './use-drafts';

/**
 * The editable rows at the end of a section's table: Key, Value and Description of
 * secrets not saved yet. Typing into the last one adds another.
 */
export function DraftRows({
  drafts,
  update,
  remove,
  valueRef,
  onPaste,
  onEnter,
}: {
  drafts: Draft[];
  update: (id: number, change: Partial<Draft>) => void;
  remove: (id: number) => void;
  valueRef: (id: number) => (element: HTMLInputElement | null) => void;
  /** Every paste into a Key or Value field goes here first: it may be a .env text to import. */
  onPaste: (event: ClipboardEvent<HTMLInputElement>, field: 'key' | 'value') => void;
  /** Enter in any field saves, as a form would. */
  onEnter: () => void;
}) {
  const saveOnEnter = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onEnter();
    }
  };
  return (
    <tbody className="draft-rows">
      {drafts.map((draft, index) => {
        const last = index === drafts.length - 1;
        const errorId = `draft-error-${draft.id}`;
        return (
          <tr key={draft.id} className={draft.error ? 'draft draft-invalid' : 'draft'}>
            <td>
              <input
                className="key-input"
                aria-label="Key"
                aria-describedby={draft.error ? errorId : undefined}
                aria-invalid={draft.error ? true : undefined}
                placeholder={last ? 'NEW_SECRET_KEY' : undefined}
                value={draft.key}
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="off"
                onChange={(event) => update(draft.id, { key: event.currentTarget.value })}
                onPaste={(event) => onPaste(event, 'key')}
                onKeyDown={saveOnEnter}
              />
              {draft.error && (
                <span id={errorId} className="field-error">
                  {draft.error}
                </span>
              )}
            </td>
            <td>
              <SecretValueInput
                key={`${draft.id}-${draft.generation}`}
                inputRef={valueRef(draft.id)}
                placeholder={last ? 'Value' : undefined}
                describedBy={draft.error ? errorId : undefined}
                onPresenceChange={(present) => {
                  if (present !== draft.hasValue) update(draft.id, { hasValue: present });
                }}
                onPaste={(event) => onPaste(event, 'value')}
                onKeyDown={saveOnEnter}
              />
            </td>
            <td colSpan={4}>
              <input
                className="description-input"
                aria-label="Description"
                placeholder={last ? 'Description (optional)' : undefined}
                value={draft.description}
                autoComplete="off"
                onChange={(event) => update(draft.id, { description: event.currentTarget.value })}
                onKeyDown={saveOnEnter}
              />
            </td>
            <td className="row-actions">
              {!last && (
                <button type="button" className="link-button" onClick={() => remove(draft.id)}>
                  Discard<span className="sr-only"> new row {draft.key || index + 1}</span>
                </button>
              )}
            </td>
          </tr>
        );
      })}
    </tbody>
  );
}
