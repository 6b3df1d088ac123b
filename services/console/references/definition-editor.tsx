import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { GraphQLClient } from '../graphql/graphql-client';
import { openReferenceAt } from './open-reference';
import { usePickerOptions, type PickerOption } from './use-picker-options';

/**
 * The workflow definition field with the `{{` picker (SPEC §12): typing `{{` lists
 * the secrets the caller can reference, workspace first, narrowed as they type;
 * arrow keys move, Enter or Tab inserts `{{secrets.NAME}}`, Escape closes.
 */
export function DefinitionEditor({
  client,
  value,
  onChange,
  describedBy,
}: {
  client: GraphQLClient;
  value: string;
  onChange: (text: string) => void;
  describedBy?: string;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [open, setOpen] = useState<{ start: number; query: string }>();
  const [active, setActive] = useState(0);
  const [caretAfter, setCaretAfter] = useState<number>();
  const options = usePickerOptions(client, open?.query);
  const listId = useId();
  const hintId = useId();

  useLayoutEffect(() => {
    if (caretAfter === undefined || !area.current) return;
    area.current.setSelectionRange(caretAfter, caretAfter);
    area.current.focus();
  }, [caretAfter]);

  const follow = (text: string, caret: number) => {
    setOpen(openReferenceAt(text, caret));
    setActive(0);
  };

  const choose = (option: PickerOption) => {
    if (!open || !area.current) return;
    const caret = area.current.selectionStart;
    const inserted = `{{secrets.${option.name}}}`;
    // A `}}` already typed after the caret belongs to the reference being completed.
    const rest = value.slice(caret).replace(/^[A-Za-z0-9_-]*\s*\}\}/, '');
    onChange(value.slice(0, open.start) + inserted + rest);
    setCaretAfter(open.start + inserted.length);
    setOpen(undefined);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    const count = options?.length ?? 0;
    if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(undefined);
    } else if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      setActive((i) => (i + 1) % count);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      setActive((i) => (i - 1 + count) % count);
    } else if ((event.key === 'Enter' || event.key === 'Tab') && count > 0 && options?.[active]) {
      event.preventDefault();
      choose(options[active]);
    }
  };

  const listed = open && options && options.length > 0;
  const optionId = (i: number) => `${listId}-option-${i}`;
  const groups = (['WORKSPACE', 'PERSONAL'] as const).map((scope) => ({
    scope,
    items: (options ?? []).map((o, index) => ({ o, index })).filter(({ o }) => o.scope === scope),
  }));

  return (
    <div>
      <div className="definition-editor">
        <textarea
          ref={area}
          id="definition"
          className="definition"
          rows={14}
          spellCheck={false}
          value={value}
          aria-describedby={[hintId, describedBy].filter(Boolean).join(' ')}
          aria-autocomplete="list"
          aria-controls={listed ? listId : undefined}
          aria-activedescendant={listed ? optionId(active) : undefined}
          onChange={(event) => {
            onChange(event.currentTarget.value);
            follow(event.currentTarget.value, event.currentTarget.selectionStart);
          }}
          onKeyDown={onKeyDown}
          onKeyUp={(event) => {
            if (
              event.key === 'ArrowLeft' ||
              event.key === 'ArrowRight' ||
              event.key === 'Home' ||
              event.key === 'End'
            )
              follow(event.currentTarget.value, event.currentTarget.selectionStart);
          }}
          onClick={(event) => follow(event.currentTarget.value, event.currentTarget.selectionStart)}
          onBlur={() => setOpen(undefined)}
        />
        {open && options?.length === 0 && (
          <p className="picker picker-empty" role="status">
            No secret you can reference matches “{open.query}”.
          </p>
        )}
        {listed && (
          <div className="picker" role="listbox" id={listId} aria-label="Secrets you can reference">
            {groups
              .filter((g) => g.items.length > 0)
              .map((group) => (
                <div
                  key={group.scope}
                  role="group"
                  aria-label={group.scope === 'WORKSPACE' ? 'Workspace' : 'Personal'}
                >
                  <div className="picker-group" aria-hidden="true">
                    {group.scope === 'WORKSPACE' ? 'Workspace' : 'Personal'}
                  </div>
                  {group.items.map(({ o, index }) => (
                    <div
                      key={`${o.scope}-${o.id}`}
                      id={optionId(index)}
                      role="option"
                      aria-selected={index === active}
                      className={index === active ? 'picker-option active' : 'picker-option'}
                      onMouseDown={(event) => {
                        event.preventDefault();
                        choose(o);
                      }}
                    >
                      <code>{o.name}</code>
                      {o.displayName && o.displayName !== o.name && (
                        <span className="muted"> {o.displayName}</span>
                      )}
                    </div>
                  ))}
                </div>
              ))}
          </div>
        )}
      </div>
      <p id={hintId} className="hint">
        Type <kbd>{'{{'}</kbd> to pick a secret; arrow keys choose, Enter inserts it.
      </p>
    </div>
  );
}
