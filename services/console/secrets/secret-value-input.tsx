import { useState, type ClipboardEvent, type KeyboardEvent, type Ref } from 'react';

/**
 * A field for a secret value. The value never enters React state: the input is
 * uncontrolled, its text is read once when it is sent and then cleared, so it is not
 * kept in memory the console owns nor mirrored into a `value` attribute in the DOM.
 * It is a password field; while unsaved text is in it, "Show" reveals it (typing only:
 * once saved, the console has nothing to show). Password managers are told to keep out.
 */
export function SecretValueInput({
  id,
  inputRef,
  label = 'Value',
  placeholder,
  onPresenceChange,
  onPaste,
  onKeyDown,
  describedBy,
  invalid,
}: {
  id?: string;
  inputRef: Ref<HTMLInputElement>;
  label?: string;
  placeholder?: string;
  /** Whether the field holds any text, for the growing row and the Save button. */
  onPresenceChange?: (present: boolean) => void;
  onPaste?: (event: ClipboardEvent<HTMLInputElement>) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  const [hasText, setHasText] = useState(false);
  const [revealed, setRevealed] = useState(false);
  return (
    <span className="value-input">
      <input
        id={id}
        ref={inputRef}
        type={revealed && hasText ? 'text' : 'password'}
        aria-label={label}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        placeholder={placeholder}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        data-1p-ignore=""
        data-lpignore="true"
        data-bwignore=""
        data-form-type="other"
        onInput={(event) => {
          const present = event.currentTarget.value !== '';
          setHasText(present);
          if (!present) setRevealed(false);
          onPresenceChange?.(present);
        }}
        onPaste={onPaste}
        onKeyDown={onKeyDown}
      />
      {hasText && (
        <button
          type="button"
          className="reveal"
          aria-pressed={revealed}
          onClick={() => setRevealed((shown) => !shown)}
        >
          {revealed ? 'Hide' : 'Show'}
          <span className="sr-only"> value</span>
        </button>
      )}
    </span>
  );
}
