import { ConfigError, loadConfig } from '../core/config/config.js';
import { createLogger } from '../core/logging/logger.js';
import type { Command } from './command.js';
import { auditCommand } from './commands/audit.js';
import { apiCommand } from './commands/api.js';
import { certsCommand } from './commands/certs.js';
import { createExecCommand } from './commands/exec.js';
import { openRemoteResolverClient } from './commands/exec-remote-client.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { resolverCommand } from './commands/resolver.js';
import { startCommand } from './commands/start.js';
import { tokenCommand } from './commands/token.js';

/** Subcommands of `strongroom`; later parts register theirs here. */
const commands: Record<string, { run: Command; summary: string }> = {
  start: { run: startCommand, summary: 'run the API and the resolver together (development default)' },
  api: { run: apiCommand, summary: 'run the GraphQL API alone (STRONGROOM_API_PORT)' },
  token: {
    run: tokenCommand,
    summary: 'token dev --sub U --workspace W --role R [--scope S]: print a dev JWT',
  },
  migrate: { run: migrateCommand, summary: 'apply pending database migrations' },
  keys: { run: keysCommand, summary: 'keys rotate | keys rewrap [--batch-size N]' },
  resolver: { run: resolverCommand, summary: 'run the gRPC resolver alone (mTLS, STRONGROOM_RESOLVER_PORT)' },
  certs: { run: certsCommand, summary: 'certs dev --out DIR [--force]: dev CA, server, runner certificates' },
  audit: {
    run: auditCommand,
    summary: 'audit verify | export [--since T] [--workspace W] | prune [--days N]',
  },
  exec: {
    run: createExecCommand({ createRemoteClient: openRemoteResolverClient }),
    summary: 'exec [--local] [--names A,B] -- CMD: run CMD with secrets, masked',
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: strongroom <command> [args]\n\ncommands:\n${lines.join('\n')}`;
}

/** The only reader of process.env: builds the config and hands it to the subcommand. */
async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  // Logs go to stderr so that commands whose stdout is data (tokens, exports) stay clean.
  const logger = createLogger({
    level: config.logLevel,
    name: `strongroom-${name}`,
    destination: process.stderr,
  });
  return command.run({
    config,
    args,
    logger,
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`strongroom: ${error instanceof Error ? error.message : 'failed'}`);
    process.exitCode = 1;
  },
);
