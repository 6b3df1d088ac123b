import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { DomainError } from '../../protocol/domain-error.js';
import { childEnvironment } from '../../sdk/child-environment.js';
import { createLocalResolver } from '../../sdk/local-resolver.js';
import { FORWARDED_SIGNALS, runMaskedCommand } from '../../sdk/run-masked-command.js';
import { createSecretMasker } from '../../sdk/secret-masker.js';
import type {
  ResolvedSecret,
  ResolverConnectionOptions,
  SecretResolverClient,
} from '../../sdk/resolver-client-types.js';
import type { Command, CommandContext } from '../command.js';
import { linkContextFile, type LinkedContextFile } from './exec-context-file.js';
import { planExec, UsageError, type ExecPlan } from './exec-plan.js';

/** Exit codes of `strongroom exec` itself; any other code is the command's own. */
export const EXEC_EXIT = { usage: 2, unresolved: 3, notExecutable: 126, notFound: 127 } as const;

const USAGE = `usage: strongroom exec [--local [--env-file FILE]] [--names A,B] [--template FILE]
         [--map ALIAS=NAME]... [--context-file PATH] [--dry-run]
         [--run-grant GRANT [--step STEP] | --workspace W --workflow ID --run ID
          --trigger MANUAL|API|WEBHOOK|SCHEDULE --triggered-by USER --workflow-owner USER --step STEP]
         [--resolver HOST:PORT --ca FILE --cert FILE --key FILE --deadline-ms N] -- COMMAND [ARGS...]

Resolves the secrets named by --names, referenced in --template files ({{secrets.NAME}};
in .json/.yaml/.yml files also { source: secret, name: NAME }) and mapped by --map, runs
COMMAND with each as an environment variable named after the secret or its alias (or, with
--context-file, in PATH as {"secrets": {ALIAS: value}}, removed afterwards), and masks them
in its output. Names that are not identifiers need --map ALIAS=NAME. --dry-run prints the
names and aliases and resolves nothing. COMMAND gets no STRONGROOM_* variable.
With --run-grant (or STRONGROOM_RUN_GRANT) the run context is the grant's and the grant is
sent with the resolve. Remote mode reads STRONGROOM_RESOLVER_ADDRESS, STRONGROOM_RESOLVER_CA,
STRONGROOM_RUNNER_CERT and STRONGROOM_RUNNER_KEY when the flag is not given; in development the TLS files default
to the dev set in <dataDir>/tls/.
Exit codes: 2 bad usage, 3 secrets not resolved (COMMAND not started), 126/127 COMMAND
cannot start, 128+N COMMAND killed by signal N, otherwise COMMAND's own exit code.`;

/** Builds a client for the remote resolver (`openRemoteResolverClient` in the CLI). */
export type RemoteResolverClientFactory = (
  options: ResolverConnectionOptions,
  context: CommandContext,
) => SecretResolverClient | Promise<SecretResolverClient>;

/** What `exec` depends on beyond its CommandContext; every field has a process default. */
export interface ExecCommandDeps {
  /** Without it, only `--local` works. */
  createRemoteClient?: RemoteResolverClientFactory;
  stdout?: Writable;
  stderr?: Writable;
  signalSource?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * `strongroom exec`: resolve the secrets a command needs (locally from the
 * environment and a `.env` file, or from the resolver), hand them to it as
 * environment variables named after the secrets or their aliases, or in a
 * context file, and mask them in its output. Nothing is started unless every
 * name resolved.
 */
export function createExecCommand(deps: ExecCommandDeps = {}): Command {
  return async (context) => {
    let plan: ExecPlan;
    try {
      plan = await planExec(context);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      if (error.message) context.err(`strongroom exec: ${error.message}`);
      for (const hint of error.hints) context.err(`strongroom exec: ${hint}`);
      context.err(USAGE);
      return error.message ? EXEC_EXIT.usage : 0;
    }
    if (plan.dryRun) {
      // Names and aliases only: a dry run resolves nothing, so it has no value to show.
      for (const { key, name } of plan.exposures) context.out(key === name ? name : `${name} as ${key}`);
      return 0;
    }

    const resolved = await resolveForExec(plan, deps, context);
    if (typeof resolved === 'number') return resolved;
    return runWithSecrets(plan, resolved, deps, context);
  };
}

/**
 * Starts the command with the secrets under their keys, in its environment or in
 * the context file, which is removed once the command has exited. A signal that
 * arrives while the file is being written stops the run before the command
 * starts, and the file is removed all the same.
 */
async function runWithSecrets(
  plan: ExecPlan,
  resolved: ResolvedSecret[],
  deps: ExecCommandDeps,
  context: CommandContext,
): Promise<number> {
  const valueOf = new Map(resolved.map((secret) => [secret.name, secret.value]));
  const secrets = Object.fromEntries(
    plan.exposures.map(({ key, name }) => [key, valueOf.get(name) as string]),
  );
  const masker = createSecretMasker(resolved, {
    onWarning: (m) => context.err(`strongroom exec: warning: ${m}`),
  });
  const signalSource = deps.signalSource ?? process;
  let early: NodeJS.Signals | undefined;
  // Listening also keeps a SIGTERM or SIGINT from ending exec before it can clean up.
  const hold = (signal: NodeJS.Signals) => void (early ??= signal);
  for (const signal of FORWARDED_SIGNALS) signalSource.on(signal, hold);
  let contextFile: LinkedContextFile | undefined;
  try {
    if (plan.contextFile !== undefined) {
      try {
        contextFile = await linkContextFile(plan.contextFile, secrets);
      } catch (error) {
        context.err(
          `strongroom exec: cannot write the context file ${plan.contextFile}: ${errorCode(error)}`,
        );
        return EXEC_EXIT.usage;
      }
    }
    if (early) return 128 + (constants.signals[early] ?? 0);
    const result = await runMaskedCommand({
      command: plan.command as string,
      args: plan.args,
      env: {
        ...childEnvironment(context.env, { withheldPaths: plan.withheldPaths }),
        ...(contextFile ? {} : secrets),
      },
      masker,
      stdout: deps.stdout ?? process.stdout,
      stderr: deps.stderr ?? process.stderr,
      signalSource,
    });
    return result.exitCode;
  } finally {
    await contextFile?.remove();
    for (const signal of FORWARDED_SIGNALS) signalSource.off(signal, hold);
  }
}

function errorCode(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  return (error as NodeJS.ErrnoException).code ?? 'failed';
}

/** The values for the plan, or the exit code to stop with; never starts anything. */
async function resolveForExec(
  plan: ExecPlan,
  deps: ExecCommandDeps,
  context: CommandContext,
): Promise<ResolvedSecret[] | number> {
  const createRemoteClient = deps.createRemoteClient;
  if (!plan.local && !createRemoteClient) {
    context.err('strongroom exec: the remote resolver client is not available in this build; use --local');
    return EXEC_EXIT.usage;
  }
  let client: SecretResolverClient | undefined;
  try {
    client =
      plan.local || !createRemoteClient
        ? createLocalResolver({ env: context.env, envFile: plan.envFile })
        : await createRemoteClient(plan.connection, context);
    return plan.names.length > 0
      ? await client.resolve(plan.runContext, plan.names, { runGrant: plan.runGrant })
      : [];
  } catch (error) {
    // DomainError messages name secrets at most, never values; anything else gets a generic line.
    const message = error instanceof DomainError ? error.message : 'the secrets could not be resolved';
    context.err(`strongroom exec: ${message}; ${plan.command} was not started`);
    if (!(error instanceof DomainError)) context.logger.error({ err: error }, 'resolve failed');
    return EXEC_EXIT.unresolved;
  } finally {
    await client?.close?.();
  }
}

/** `strongroom exec` with only local mode available (the CLI wires the remote client in main.ts). */
export const execCommand: Command = createExecCommand();
