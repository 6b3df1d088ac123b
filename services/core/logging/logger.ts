import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths pino blanks in every log line: credentials and anything that could carry a secret value. */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'token',
  'value',
  'values',
  '*.value',
  '*.values',
  'input.value',
  'variables.input.value',
  'variables.input.dotenv',
  'variables.*.value',
  'dotenv',
  'plaintext',
  'secrets[*].value',
];

/** The process logger: JSON lines, redacted. `destination` lets tests capture every line. */
export function createLogger(options: {
  level: string;
  name: string;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
