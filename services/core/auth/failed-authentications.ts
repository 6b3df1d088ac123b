import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../logging/logger.js';

/** How failed authentications are limited and aggregated (SPEC §8.1). */
export interface FailedAuthenticationLimits {
  /**
   * Length of one interval: a source's interval starts at its first failure (so a burst
   * is never split by a clock boundary), and counts are written once per interval.
   */
  intervalSeconds: number;
  /** Failures one source may have in an interval before it is answered 429 until the interval ends. */
  limitPerSource: number;
  /**
   * Sources tracked at once. A flood from more addresses than this is tracked (and
   * limited, and recorded) together, under the source `*`, so memory and the log stay bounded.
   */
  maxSources: number;
}

export const DEFAULT_FAILED_AUTHENTICATION_LIMITS: FailedAuthenticationLimits = {
  intervalSeconds: 60,
  limitPerSource: 30,
  maxSources: 10_000,
};

/** The source under which failures are kept once `maxSources` sources are tracked. */
export const OVERFLOW_SOURCE = '*';

/** A failed authentication, as its transport saw it. Never the token. */
export interface FailedAuthentication {
  sourceAddress: string;
  /** Why it failed: a short code such as NO_TOKEN or INVALID_TOKEN. */
  reason: string;
  requestId: string;
}

export type FailureVerdict = { limited: false } | { limited: true; retryAfterSeconds: number };

export interface FailedAuthentications {
  /**
   * Records one failure and says whether its source is now over its limit. A source's
   * failures up to the limit are each written at once, as every refusal is, so every
   * source leaves a trace even if the process dies; past the limit they are answered
   * 429 and counted, and written as one record per reason, with its count, when the
   * interval ends (or at `close`).
   */
  record(failure: FailedAuthentication): Promise<FailureVerdict>;
  /** Writes every count held so far. */
  flush(): Promise<void>;
  /** Starts writing counts at the end of each interval. */
  start(): void;
  /** Stops the timer and writes what is held. */
  close(): Promise<void>;
}

interface SourceWindow {
  /** When the source's first failure of this interval came. */
  start: number;
  failures: number;
  /** Per reason: failures over the limit, counted and not yet written. */
  pending: Map<string, number>;
}

/**
 * Failed authentications from one source are rate-limited and aggregated, so an
 * anonymous flood neither grows the audit log without bound nor hides: in an interval
 * a source writes at most `limitPerSource` records of its own, then one per reason
 * with the count of everything past the limit. A client that fails a few times keeps
 * a record per request (with its request id) for whoever debugs it.
 */
export function createFailedAuthentications({
  auditLog,
  logger,
  limits = DEFAULT_FAILED_AUTHENTICATION_LIMITS,
  now = () => Date.now(),
  onLimited = () => {},
}: {
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  logger: Pick<Logger, 'error' | 'warn'>;
  limits?: FailedAuthenticationLimits;
  now?: () => number;
  /** Called once per failure answered with a refusal for its rate (for a metric). */
  onLimited?: () => void;
}): FailedAuthentications {
  const intervalMs = limits.intervalSeconds * 1000;
  /** Each source's current interval: it starts at the source's first failure after the last one ended. */
  const sources = new Map<string, SourceWindow>();
  /**
   * Counts of past intervals not yet written, one per source and reason (a failed
   * flush keeps them for the next, merged, so an outage cannot grow them without bound).
   */
  let carried = new Map<string, FailureCount>();
  const carry = (counts: FailureCount[]) => {
    for (const count of counts) {
      const key = `${count.source}\n${count.reason}`;
      const held = carried.get(key);
      carried.set(key, held ? { ...held, count: held.count + count.count } : count);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  /** Ends one source's interval: its counts are kept to be written, the source forgotten. */
  const endInterval = (source: string, window: SourceWindow) => {
    carry(pendingCounts(source, window));
    sources.delete(source);
  };

  /** Ends every interval that is over at `at`. */
  const endIntervals = (at: number) => {
    for (const [source, window] of sources) if (at >= window.start + intervalMs) endInterval(source, window);
  };

  /** The source's interval if it is still running at `at`. */
  const liveWindow = (source: string, at: number): SourceWindow | undefined => {
    const window = sources.get(source);
    if (!window || at < window.start + intervalMs) return window;
    endInterval(source, window);
    return undefined;
  };

  const windowOf = (sourceAddress: string, at: number): { source: string; window: SourceWindow } => {
    let source = sourceAddress;
    let window = liveWindow(source, at);
    if (!window && sources.size >= limits.maxSources) endIntervals(at);
    if (!window && sources.size >= limits.maxSources) {
      source = OVERFLOW_SOURCE;
      window = liveWindow(source, at);
    }
    if (!window) {
      window = { start: at, failures: 0, pending: new Map() };
      sources.set(source, window);
    }
    return { source, window };
  };

  const write = async (counts: FailureCount[]) => {
    if (counts.length === 0) return;
    await auditLog.appendCommitted(
      counts.map(({ source, reason, count }) => ({
        action: 'auth.denied' as const,
        outcome: 'DENIED' as const,
        actorType: 'anonymous' as const,
        sourceAddress: source,
        reason,
        occurrences: count,
      })),
    );
  };

  const flush = (): Promise<void> => {
    const run = flushing.then(async () => {
      endIntervals(now());
      const counts = [
        ...carried.values(),
        ...[...sources].flatMap(([source, w]) => pendingCounts(source, w)),
      ];
      carried = new Map();
      for (const window of sources.values()) window.pending.clear();
      try {
        await write(counts);
      } catch (error) {
        // Kept for the next flush: a count is never dropped because the database was away.
        carry(counts);
        logger.error({ err: error, records: counts.length }, 'failed authentications could not be recorded');
        throw error;
      }
    });
    flushing = run.catch(() => {});
    return run;
  };

  return {
    async record({ sourceAddress, reason, requestId }) {
      const at = now();
      const { source, window } = windowOf(sourceAddress, at);
      window.failures += 1;
      if (window.failures <= limits.limitPerSource) {
        await auditLog.appendCommitted([
          {
            action: 'auth.denied',
            outcome: 'DENIED',
            actorType: 'anonymous',
            requestId,
            sourceAddress,
            reason,
          },
        ]);
        return { limited: false };
      }
      window.pending.set(reason, (window.pending.get(reason) ?? 0) + 1);
      if (window.failures === limits.limitPerSource + 1) {
        logger.warn(
          { sourceAddress: source, limit: limits.limitPerSource },
          'failed authentications rate-limited',
        );
      }
      onLimited();
      return {
        limited: true,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + intervalMs - at) / 1000)),
      };
    },
    flush,
    start() {
      if (timer) return;
      // Counts are written once an interval: at most one record per source and reason each time.
      timer = setInterval(() => {
        flush().catch(() => {});
      }, intervalMs).unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}

interface FailureCount {
  source: string;
  reason: string;
  count: number;
}

/** One source's counts not yet written, by reason. */
function pendingCounts(source: string, window: SourceWindow): FailureCount[] {
  return [...window.pending]
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ source, reason, count }));
}
