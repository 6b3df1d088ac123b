import { ConfigError, loadConfig } from '../core/config/config.js';
import { createLogger } from '../core/logging/logger.js';
import type { Command } from './command.js';
import { logDestinationFor } from './log-destination.js';
/**
 * Subcommands of `strongroom`. Each is imported only when it runs: `exec` on a runner
 * should not pay for loading GraphQL, gRPC servers and TypeORM it never uses.
 */
const commands: Record<string, { load: () => Promise<Command>; summary: string }> = {
  start: {
    load: async () => (await import('./commands/start.js')).startCommand,
    summary: 'run the API and the resolver together (development default)',
  },
  api: {
    load: async () => (await import('./commands/api.js')).apiCommand,
    summary: 'run the GraphQL API alone (STRONGROOM_API_PORT)',
  },
  token: {
    load: async () => (await import('./commands/token.js')).tokenCommand,
    summary:
      'token dev --sub U --workspace W --role R [--scope S] | token run --workspace W --run R ...: dev JWT or run grant',
  },
  migrate: {
    load: async () => (await import('./commands/migrate.js')).migrateCommand,
    summary: 'apply pending database migrations',
  },
  keys: {
    load: async () => (await import('./commands/keys.js')).keysCommand,
    summary: 'keys rotate | keys rewrap [--batch-size N] | keys status',
  },
  resolver: {
    load: async () => (await import('./commands/resolver.js')).resolverCommand,
    summary: 'run the gRPC resolver alone (mTLS, STRONGROOM_RESOLVER_PORT)',
  },
  certs: {
    load: async () => (await import('./commands/certs.js')).certsCommand,
    summary: 'certs dev --out DIR [--force]: dev CA, server, runner certificates',
  },
  audit: {
    load: async () => (await import('./commands/audit.js')).auditCommand,
    summary:
      'audit verify [--checkpoints DIR] [--public-key K] | checkpoint | public-key | export [--since T] [--workspace W] | prune [--days N]',
  },
  webhooks: {
    load: async () => (await import('./commands/webhooks.js')).webhooksCommand,
    summary: 'run the change-event delivery worker alone (start runs one too)',
  },
  secrets: {
    load: async () => (await import('./commands/secrets.js')).secretsCommand,
    summary: 'secrets verify [--json]: list secrets whose authenticated state fails',
  },
  exec: {
    load: async () => {
      const { createExecCommand } = await import('./commands/exec.js');
      // The remote client (gRPC) is loaded only when a run is not --local.
      return createExecCommand({
        createRemoteClient: async (...args) =>
          (await import('./commands/exec-remote-client.js')).openRemoteResolverClient(...args),
      });
    },
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
  // Whatever the last turn left buffered is written on the way out.
  const destination = await logDestinationFor({ mode: config.mode, terminal: process.stderr.isTTY === true });
  process.on('exit', () => destination.flush());
  const logger = createLogger({
    level: config.logLevel,
    name: `strongroom-${name}`,
    destination: destination.stream,
  });
  const run = await command.load();
  return run({
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
