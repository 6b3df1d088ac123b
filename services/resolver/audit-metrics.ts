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
      for (const event of events) {
        if (event.action === 'secret.resolve') metrics.resolvesTotal.inc({ outcome: event.outcome });
      }
      return events;
    },
  };
}
