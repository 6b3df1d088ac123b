import { useEffect, useState } from 'react';
import type { AuditEventsQuery as AuditEventsResult, AuditFilter } from '../gen/graphql';
import type { GraphQLClient } from '../graphql/graphql-client';
import { asConsoleError } from '../graphql/console-error';
import { formatExact } from '../ui/format-time';
import { Messages, type Message } from '../ui/messages';
import { AuditFilters } from './audit-filters';
import { AuditEventsQuery, VerifyAuditLogQuery } from './audit-queries';

type AuditEvent = AuditEventsResult['auditEvents']['edges'][number]['node'];

const PAGE_SIZE = 50;
const numbers = new Intl.NumberFormat('en');

/**
 * The audit log (SPEC §8) for `audit:read` tokens: newest first, filtered, a page at
 * a time, and a check that the hash chains were not tampered with.
 */
export function AuditPage({ client }: { client: GraphQLClient }) {
  const [filter, setFilter] = useState<AuditFilter>({});
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<{ events: AuditEvent[]; hasNext: boolean; end: string | null }>();
  const [message, setMessage] = useState<Message>();
  const [verifying, setVerifying] = useState(false);
  const after = cursors.at(-1) ?? null;

  useEffect(() => {
    const controller = new AbortController();
    client
      .request(AuditEventsQuery, { filter, first: PAGE_SIZE, after }, controller.signal)
      .then(({ auditEvents }) =>
        setPage({
          events: auditEvents.edges.map((e) => e.node),
          hasNext: auditEvents.pageInfo.hasNextPage,
          end: auditEvents.pageInfo.endCursor ?? null,
        }),
      )
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setMessage({ kind: 'error', text: asConsoleError(error).message });
      });
    return () => controller.abort();
  }, [client, filter, after]);

  const verify = async () => {
    setVerifying(true);
    try {
      const { verifyAuditLog: v } = await client.request(VerifyAuditLogQuery, {});
      setMessage(
        v.ok
          ? { kind: 'status', text: `The audit log verifies: ${numbers.format(v.checked)} records checked.` }
          : {
              kind: 'error',
              text: `The audit log does not verify: the chain breaks at record ${v.firstBrokenId}.`,
            },
      );
    } catch (error) {
      setMessage({ kind: 'error', text: asConsoleError(error).message });
    } finally {
      setVerifying(false);
    }
  };

  return (
    <main id="main" className="page">
      <header className="page-header">
        <div>
          <h1 tabIndex={-1}>Audit log</h1>
          <p className="muted">
            Every change, every resolve and every refusal, newest first. Records never hold values.
          </p>
        </div>
        <button type="button" onClick={() => void verify()} disabled={verifying}>
          {verifying ? 'Verifying…' : 'Verify audit log'}
        </button>
      </header>
      <AuditFilters
        onApply={(next) => {
          setFilter(next);
          setCursors([null]);
        }}
      />
      <Messages message={message} />
      <section className="panel" aria-labelledby="events-heading">
        <h2 id="events-heading" className="sr-only">
          Events
        </h2>
        <div className="table-scroll">
          <table className="audit-table">
            <caption className="sr-only">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Actor</th>
                <th scope="col">Secret</th>
                <th scope="col">Run</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {page?.events.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty">
                    No event matches these filters.
                  </td>
                </tr>
              )}
              {page?.events.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.occurredAt}>{formatExact(e.occurredAt)}</time>
                  </td>
                  <td>
                    <code>{e.action}</code>
                    {e.occurrences > 1 ? <span className="muted"> ×{e.occurrences}</span> : null}
                  </td>
                  <td>
                    <span className={e.outcome === 'SUCCESS' ? 'badge badge-good' : 'badge badge-bad'}>
                      {e.outcome}
                    </span>
                  </td>
                  <td>
                    {e.actorId ?? '—'} <span className="muted">({e.actorType})</span>
                  </td>
                  <td>
                    {e.secretName ? <code>{e.secretName}</code> : '—'}
                    {e.version ? <span className="muted"> v{e.version}</span> : null}
                  </td>
                  <td>
                    {e.runId ? `${e.workflowId ?? ''}/${e.runId}` : '—'}
                    {e.trigger ? <span className="muted"> {e.trigger.toLowerCase()}</span> : null}
                  </td>
                  <td className="muted mono">{e.requestId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <nav className="pager" aria-label="Audit log pages">
          <button
            type="button"
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Newer events
          </button>
          <button
            type="button"
            disabled={!page?.hasNext}
            onClick={() => page?.end && setCursors((c) => [...c, page.end])}
          >
            Older events
          </button>
        </nav>
      </section>
    </main>
  );
}
