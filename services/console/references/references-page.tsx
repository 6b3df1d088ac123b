import { useId, useState } from 'react';
import type { Trigger } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import type { Abilities } from '../session/abilities';
import type { TokenClaims } from '../session/token-claims';
import { Messages, type Message } from '../ui/messages';
import { DefinitionEditor } from './definition-editor';
import { journeyReferences } from './journey-references';
import { CheckReferencesQuery } from './references-queries';

/** The API checks at most this many names per call. */
const NAMES_PER_CHECK = 100;

const TRIGGERS: Array<{ value: Trigger; label: string }> = [
  { value: 'MANUAL', label: 'Manual (someone clicks Run)' },
  { value: 'API', label: 'API' },
  { value: 'WEBHOOK', label: 'Webhook' },
  { value: 'SCHEDULE', label: 'Schedule' },
];

interface Verdict {
  name: string;
  status: 'resolvable' | 'missing';
  scope?: 'WORKSPACE' | 'PERSONAL';
}

const EXAMPLE = `values:
  api_key:
    source: secret
    name: payments-api-key
steps:
  - http:
      url: https://api.example.com/charge
      headers:
        Authorization: "Bearer {{secrets.STRIPE_KEY}}"
`;

/**
 * The reference check (SPEC §12): which secrets a workflow definition references,
 * and whether a run with this trigger and user would get each one — the resolver's
 * own rules, asked of the API (`checkSecretReferences`), nothing decrypted.
 */
export function ReferencesPage({
  client,
  claims,
  abilities,
}: {
  client: GraphQLClient;
  claims: TokenClaims;
  abilities: Abilities;
}) {
  const [definition, setDefinition] = useState(EXAMPLE);
  const [trigger, setTrigger] = useState<Trigger>('MANUAL');
  const [userId, setUserId] = useState(claims.subject);
  const [verdicts, setVerdicts] = useState<Verdict[]>();
  const [note, setNote] = useState<string>();
  const [message, setMessage] = useState<Message>();
  const [checking, setChecking] = useState(false);
  const userHint = useId();

  const check = async () => {
    setChecking(true);
    setMessage(undefined);
    try {
      const found = await journeyReferences(definition);
      setNote(
        found.parsed
          ? undefined
          : 'The definition is not valid YAML or JSON: only {{secrets.…}} references were read.',
      );
      const results: Verdict[] = [];
      for (let i = 0; i < found.names.length; i += NAMES_PER_CHECK) {
        const names = found.names.slice(i, i + NAMES_PER_CHECK);
        const { checkSecretReferences: answer } = await client.request(CheckReferencesQuery, {
          names,
          runAs: { trigger, userId: userId.trim() },
        });
        const scopes = new Map(answer.resolvable.map((r) => [r.name, r.scope]));
        for (const name of names) {
          const scope = scopes.get(name);
          results.push(scope ? { name, status: 'resolvable', scope } : { name, status: 'missing' });
        }
      }
      setVerdicts(results);
      const missing = results.filter((v) => v.status === 'missing').length;
      setMessage({
        kind: 'status',
        text:
          results.length === 0
            ? 'The definition references no secret.'
            : missing === 0
              ? `All ${results.length} referenced secrets resolve.`
              : `${missing} of ${results.length} referenced secrets ${missing === 1 ? 'is' : 'are'} missing.`,
      });
    } catch (error) {
      setVerdicts(undefined);
      setMessage({ kind: 'error', text: asConsoleError(error).message });
    } finally {
      setChecking(false);
    }
  };

  const whose = trigger === 'MANUAL' ? 'the user who starts the run' : 'the workflow owner';
  return (
    <main id="main" className="page">
      <header className="page-header">
        <div>
          <h1 tabIndex={-1}>Reference check</h1>
          <p className="muted">
            Paste a workflow definition to see, before it runs, whether each secret it references would
            resolve.
          </p>
        </div>
      </header>
      <form
        className="panel form"
        onSubmit={(event) => {
          event.preventDefault();
          void check();
        }}
      >
        <label htmlFor="definition" className="field-label">
          Workflow definition
        </label>
        <DefinitionEditor client={client} value={definition} onChange={setDefinition} />
        <div className="inline-form">
          <label className="field">
            <span>Trigger</span>
            <select value={trigger} onChange={(event) => setTrigger(event.currentTarget.value as Trigger)}>
              {TRIGGERS.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>User</span>
            <input
              value={userId}
              readOnly={!abilities.checkReferencesForOthers}
              aria-describedby={userHint}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setUserId(event.currentTarget.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={checking || userId.trim() === ''}>
            {checking ? 'Checking…' : 'Check references'}
          </button>
        </div>
        <p id={userHint} className="hint">
          Personal secrets come from {whose}.
          {abilities.checkReferencesForOthers ? '' : ' Only workspace admins check runs of another user.'}
        </p>
      </form>
      <Messages message={message} />
      {note && <p className="notice">{note}</p>}
      {verdicts && verdicts.length > 0 && (
        <section className="panel" aria-labelledby="results-heading">
          <h2 id="results-heading">Results</h2>
          <table className="results-table">
            <caption className="sr-only">Referenced secrets</caption>
            <thead>
              <tr>
                <th scope="col">Secret</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {verdicts.map((v) => (
                <tr key={v.name} className={v.status === 'missing' ? 'verdict-missing' : 'verdict-ok'}>
                  <th scope="row">
                    <code>{v.name}</code>
                  </th>
                  <td>
                    {v.status === 'missing' ? (
                      <span className="badge badge-bad">Missing</span>
                    ) : (
                      <span className="badge badge-good">
                        Resolvable · {v.scope === 'WORKSPACE' ? 'workspace' : 'personal'}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
