import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../services/core/logging/logger.js';

/**
 * The service's own logger at debug level, writing into `logLines` (one JSON line per
 * entry) instead of stdout, so a test can search everything a service logged.
 */
export function captureLogger(name: string): { logger: Logger; logLines: string[] } {
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    name,
    destination: new Writable({
      write(chunk, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  });
  return { logger, logLines };
}
