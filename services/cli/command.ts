import type { Config } from '../core/config/config.js';
import type { Logger } from '../core/logging/logger.js';

/** What every subcommand gets: the validated config, its arguments, and where to write. */
export interface CommandContext {
  config: Config;
  args: string[];
  logger: Logger;
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

export type Command = (context: CommandContext) => Promise<number> | number;
