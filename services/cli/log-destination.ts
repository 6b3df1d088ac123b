import type { DestinationStream } from 'pino';
import { createTurnBatchedDestination } from '../core/logging/turn-batched-destination.js';

/** Where a command's log lines go, and how to write out whatever is still buffered on exit. */
export interface LogDestination {
  stream: DestinationStream;
  flush(): void;
}

/**
 * Logs go to stderr so that commands whose stdout is data (tokens, exports) stay
 * clean. A person running development on a terminal reads them as coloured lines
 * (pino-pretty, loaded only then); everywhere else they are JSON, one write per
 * event-loop turn, for collectors. Redaction happens before either sees a line.
 */
export async function logDestinationFor({
  mode,
  terminal,
  fd = 2,
}: {
  mode: 'development' | 'production';
  /** Whether `fd` is a terminal a person reads. */
  terminal: boolean;
  fd?: number;
}): Promise<LogDestination> {
  if (mode === 'development' && terminal) {
    const { default: pretty } = await import('pino-pretty');
    const stream = pretty({
      destination: fd,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
    });
    return { stream, flush: () => {} };
  }
  const destination = createTurnBatchedDestination({ fd });
  return { stream: destination, flush: () => destination.flush() };
}
