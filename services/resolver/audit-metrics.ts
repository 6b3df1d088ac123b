import type { AuditLog } from '../core/audit/audit-log.js';
import type { Metrics } from '../core/metrics/metrics.js';
import { timeAuditWrites } from '../core/metrics/timed-audit-log.js';

/**
 * The resolver's audit log, instrumented at the boundary with the resolution service:
 * every append is timed, and each committed `secret.resolve` record counts one name
 * under its outcome. Counting committed records keeps the metric equal to what the
 * audit log says happened (a resolve whose audit write failed released nothing).
 */
export function instrumentResolverAuditLog(
  auditLog: Pick<AuditLog, 'appendCommitted'>,
  metrics: Pick<Metrics, 'auditWriteDuration' | 'resolvesTotal'>,
): Pick<AuditLog, 'appendCommitted'> {
  const timed = timeAuditWrites(auditLog, metrics);
  return {
    async appendCommitted(inputs, options) {
      const events = await timed.appendCommitted(inputs, options);
      // One increment per outcome rather than per name: each costs a label lookup.
      const byOutcome = new Map<string, number>();
      for (const event of events) {
        if (event.action === 'secret.resolve')
          byOutcome.set(event.outcome, (byOutcome.get(event.outcome) ?? 0) + 1);
      }
      for (const [outcome, count] of byOutcome) metrics.resolvesTotal.inc({ outcome }, count);
      return events;
    },
  };
}
