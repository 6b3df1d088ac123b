import { useRef, useState } from 'react';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import { keyProblem } from './secret-names';
import { CreateSecretMutation } from './secrets-queries';

/** A row being typed into the table's editable part. Its value lives only in its input. */
export interface Draft {
  id: number;
  key: string;
  description: string;
  hasValue: boolean;
  /** Changes whenever the value input must start empty again (a fresh element). */
  generation: number;
  error?: string;
}

const isBlank = (d: Draft) => d.key === '' && d.description === '' && !d.hasValue;

/** Exactly one blank row at the end: the row that "grows" as soon as it is typed into. */
function withTrailingBlank(drafts: Draft[]): Draft[] {
  const kept = drafts.filter((d, i) => i === drafts.length - 1 || !isBlank(d) || d.error);
  const last = kept.at(-1);
  if (last && isBlank(last) && !last.error) return kept;
  const id = Math.max(0, ...kept.map((d) => d.id)) + 1;
  return [...kept, { id, key: '', description: '', hasValue: false, generation: 0 }];
}

/**
 * The editable rows of one section and their Save. Each value is read from its
 * input when sent, the input is emptied at once, and the request is the only place
 * it goes: whatever the outcome, the person types it again rather than the console
 * keeping it for a retry.
 */
export function useDrafts(client: GraphQLClient, scope: 'WORKSPACE' | 'PERSONAL') {
  const [drafts, setDrafts] = useState<Draft[]>(() => withTrailingBlank([]));
  const [saving, setSaving] = useState(false);
  const valueInputs = useRef(new Map<number, HTMLInputElement>());

  const update = (id: number, change: Partial<Draft>) =>
    setDrafts((all) =>
      withTrailingBlank(all.map((d) => (d.id === id ? { ...d, ...change, error: undefined } : d))),
    );

  const remove = (id: number) => {
    const input = valueInputs.current.get(id);
    if (input) input.value = '';
    setDrafts((all) => withTrailingBlank(all.filter((d) => d.id !== id)));
  };

  /** Creates every filled row; returns how many were saved and how many were not. */
  const save = async (): Promise<{ saved: string[]; failed: number }> => {
    const filled = drafts.filter((d) => !isBlank(d));
    /** Per row: saved (no error), refused before sending (value kept), or refused by the API (value gone). */
    const outcomes = new Map<number, { error?: string; sent: boolean }>();
    const saved: string[] = [];
    setSaving(true);
    try {
      for (const draft of filled) {
        const key = draft.key.trim();
        const problem = keyProblem(key) ?? (draft.hasValue ? undefined : 'Enter a value.');
        if (problem) {
          outcomes.set(draft.id, { error: problem, sent: false });
          continue;
        }
        const input = valueInputs.current.get(draft.id);
        const value = input?.value ?? '';
        if (input) input.value = '';
        try {
          await client.request(CreateSecretMutation, {
            input: { name: key, value, scope, description: draft.description.trim() || null },
          });
          outcomes.set(draft.id, { sent: true });
          saved.push(key);
        } catch (error) {
          const message = `${asConsoleError(error).message} Type the value again to retry.`;
          outcomes.set(draft.id, { error: message, sent: true });
        }
      }
    } finally {
      setSaving(false);
    }
    setDrafts((all) =>
      withTrailingBlank(
        all.flatMap((d) => {
          const outcome = outcomes.get(d.id);
          if (!outcome) return [d];
          if (outcome.error === undefined) return [];
          const { error, sent } = outcome;
          return [sent ? { ...d, error, hasValue: false, generation: d.generation + 1 } : { ...d, error }];
        }),
      ),
    );
    return { saved, failed: [...outcomes.values()].filter((o) => o.error !== undefined).length };
  };

  return {
    drafts,
    saving,
    dirty: drafts.some((d) => !isBlank(d)),
    update,
    remove,
    save,
    /** Registers the value input of a row, so Save can read and clear it. */
    valueRef: (id: number) => (element: HTMLInputElement | null) => {
      if (element) valueInputs.current.set(id, element);
      else valueInputs.current.delete(id);
    },
  };
}
