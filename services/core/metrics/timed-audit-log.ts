import type { EntityManager } from 'typeorm';
import type { AuditEventInput, ChainedAuditEvent } from '../audit/audit-event.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Metrics } from './metrics.js';

type Append = (tx: EntityManager, inputs: AuditEventInput[]) => Promise<ChainedAuditEvent[]>;
type AppendCommitted = (
  inputs: AuditEventInput[],
  options?: Parameters<AuditLog['appendCommitted']>[1],
) => Promise<ChainedAuditEvent[]>;

/**
 * Wraps an audit log so every append is timed into `auditWriteDuration` (failed ones
 * too: a slow failure is what an operator is looking for). Only the methods present
 * on `auditLog` are wrapped; everything else passes through, so it fits wherever the
 * audit log itself does. `append` inside a caller's transaction is timed without the
 * commit; `appendCommitted` includes it.
 */
export function timeAuditWrites<T extends { append?: Append; appendCommitted?: AppendCommitted }>(
  auditLog: T,
  metrics: Pick<Metrics, 'auditWriteDuration'>,
): T {
  const timed = async <R>(write: () => Promise<R>): Promise<R> => {
    const end = metrics.auditWriteDuration.startTimer();
    try {
      return await write();
    } finally {
      end();
    }
  };
  const { append, appendCommitted } = auditLog;
  // A plain-object copy: the audit log is a closure-based factory result, with no `this` to keep.
  return {
    ...auditLog,
    ...(append && {
      append: (tx: EntityManager, inputs: AuditEventInput[]) => timed(() => append(tx, inputs)),
    }),
    ...(appendCommitted && {
      appendCommitted: (...args: Parameters<AppendCommitted>) => timed(() => appendCommitted(...args)),
    }),
  } as T;
}
