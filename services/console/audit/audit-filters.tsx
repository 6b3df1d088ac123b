import { useState } from 'react';
import type { AuditFilter } from '../gen/graphql';

/** The actions of SPEC §5, for the Action filter. */
const ACTIONS = [
  'secret.create',
  'secret.update_value',
  'secret.update',
  'secret.delete',
  'secret.import',
  'secret.register_system',
  'secret.revoke_system',
  'secret.member_add',
  'secret.member_remove',
  'secret.resolve',
  'auth.denied',
];
const OUTCOMES = ['SUCCESS', 'DENIED', 'NOT_FOUND', 'ERROR'];

const TEXT_FIELDS: Array<{ key: 'actorId' | 'secretName' | 'workflowId' | 'runId'; label: string }> = [
  { key: 'actorId', label: 'Actor' },
  { key: 'secretName', label: 'Secret name' },
  { key: 'workflowId', label: 'Workflow ID' },
  { key: 'runId', label: 'Run ID' },
];

/** A `datetime-local` value (the browser's local time) as an ISO instant. */
const toInstant = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

/** The audit log's filters; applied together with "Apply filters". */
export function AuditFilters({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const set = (key: string, value: string) => setFields((f) => ({ ...f, [key]: value }));
  const value = (key: string) => fields[key] ?? '';

  const apply = () => {
    const filter: AuditFilter = {};
    if (value('action')) filter.action = value('action');
    if (value('outcome')) filter.outcome = value('outcome');
    for (const { key } of TEXT_FIELDS) if (value(key).trim()) filter[key] = value(key).trim();
    filter.from = toInstant(value('from'));
    filter.to = toInstant(value('to'));
    onApply(filter);
  };

  return (
    <form
      className="panel filters"
      aria-label="Audit log filters"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <label className="field">
        <span>Action</span>
        <select value={value('action')} onChange={(e) => set('action', e.currentTarget.value)}>
          <option value="">Any action</option>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Outcome</span>
        <select value={value('outcome')} onChange={(e) => set('outcome', e.currentTarget.value)}>
          <option value="">Any outcome</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      {TEXT_FIELDS.map(({ key, label }) => (
        <label key={key} className="field">
          <span>{label}</span>
          <input value={value(key)} autoComplete="off" onChange={(e) => set(key, e.currentTarget.value)} />
        </label>
      ))}
      <label className="field">
        <span>From</span>
        <input
          type="datetime-local"
          value={value('from')}
          onChange={(e) => set('from', e.currentTarget.value)}
        />
      </label>
      <label className="field">
        <span>To</span>
        <input type="datetime-local" value={value('to')} onChange={(e) => set('to', e.currentTarget.value)} />
      </label>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            setFields({});
            onApply({});
          }}
        >
          Clear filters
        </button>
        <button type="submit" className="primary">
          Apply filters
        </button>
      </div>
    </form>
  );
}
