import type { Logger } from '../logging/logger.js';

/**
 * Keeps `secrets.last_used_at` current without a database write per resolve:
 * uses are noted in memory (latest time per secret) and flushed every
 * `flushIntervalMs`, so each secret is written at most once per interval however
 * often it is resolved. A crash loses at most one interval of "last used" times,
 * which is metadata, not audit (the audit records are committed per call).
 */
export function createLastUsedTracker({
  store,
  logger,
  flushIntervalMs = 30_000,
  clock = () => new Date(),
}: {
  store: { touchLastUsed(uses: Array<{ secretId: string; at: Date }>): Promise<void> };
  logger?: Pick<Logger, 'warn'>;
  flushIntervalMs?: number;
  clock?: () => Date;
}) {
  let pending = new Map<string, Date>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function writePending(): Promise<void> {
    const batch = pending;
    pending = new Map();
    if (batch.size === 0) return;
    try {
      await store.touchLastUsed([...batch].map(([secretId, at]) => ({ secretId, at })));
    } catch (error) {
      // Keep them for the next flush, except those a newer use replaced meanwhile.
      for (const [secretId, at] of batch) if (!pending.has(secretId)) pending.set(secretId, at);
      logger?.warn({ err: error, secrets: batch.size }, 'could not record last use of secrets; will retry');
    }
  }

  /** Writes every pending time now (serialised with any flush in progress). */
  function flush(): Promise<void> {
    flushing = flushing.then(writePending);
    return flushing;
  }

  return {
    /** Notes that these secrets were just resolved. */
    markUsed(secretIds: Iterable<string>): void {
      const now = clock();
      for (const id of secretIds) pending.set(id, now);
    },
    flush,
    /** Starts periodic flushing; the timer does not keep the process alive. */
    start(): void {
      timer ??= setInterval(() => void flush(), flushIntervalMs);
      timer.unref();
    },
    /** Stops the timer and writes what is pending. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}

export type LastUsedTracker = ReturnType<typeof createLastUsedTracker>;
