import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DomainError } from '../../protocol/domain-error.js';
import { isValidSecretName } from '../../protocol/secret-names.js';
import { createLocalResolver } from '../../sdk/local-resolver.js';
import { runMaskedCommand } from '../../sdk/run-masked-command.js';
import { extractSecretReferences } from '../../sdk/secret-references.js';
import { createSecretMasker } from '../../sdk/secret-masker.js';
import {
  TRIGGERS,
  type ResolvedSecret,
  type ResolverConnectionOptions,
  type RunContext,
  type SecretResolverClient,
  type Trigger,
} from '../../sdk/resolver-client-types.js';
import type { Command, CommandContext } from '../command.js';

/** Exit codes of `strongroom exec` itself; any other code is the command's own. */
export const EXEC_EXIT = { usage: 2, unresolved: 3, notExecutable: 126, notFound: 127 } as const;

const USAGE = `usage: strongroom exec [--local [--env-file FILE]] [--names A,B] [--template FILE]
         [--workspace W --workflow ID --run ID --trigger MANUAL|API|WEBHOOK|SCHEDULE
          --triggered-by USER --workflow-owner USER --step STEP]
         [--resolver HOST:PORT --ca FILE --cert FILE --key FILE --deadline-ms N] -- COMMAND [ARGS...]

Resolves the secrets named by --names and referenced ({{secrets.NAME}}) in --template,
runs COMMAND with each as an environment variable, and masks them in its output.
Remote mode reads STRONGROOM_RESOLVER_ADDRESS, STRONGROOM_RESOLVER_CA, STRONGROOM_RUNNER_CERT
and STRONGROOM_RUNNER_KEY when the flag is not given; in development the TLS files default
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

/** Raised for a bad command line; becomes exit code 2 with the usage text. */
class UsageError extends Error {}

/**
 * `strongroom exec`: resolve the secrets a command needs (locally from the
 * environment and a `.env` file, or from the resolver), inject them as
 * environment variables named after the secrets, and mask them in its output.
 * Nothing is started unless every name resolved.
 */
export function createExecCommand(deps: ExecCommandDeps = {}): Command {
  return async (context) => {
    let plan: ExecPlan;
    try {
      plan = await planExec(context);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      if (error.message) context.err(`strongroom exec: ${error.message}`);
      context.err(USAGE);
      return error.message ? EXEC_EXIT.usage : 0;
    }

    const resolved = await resolveForExec(plan, deps, context);
    if (typeof resolved === 'number') return resolved;

    const masker = createSecretMasker(resolved, {
      onWarning: (m) => context.err(`strongroom exec: warning: ${m}`),
    });
    const secretEnv = Object.fromEntries(resolved.map((s) => [s.name, s.value]));
    const result = await runMaskedCommand({
      command: plan.command,
      args: plan.args,
      env: { ...context.env, ...secretEnv },
      masker,
      stdout: deps.stdout ?? process.stdout,
      stderr: deps.stderr ?? process.stderr,
      signalSource: deps.signalSource ?? process,
    });
    return result.exitCode;
  };
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
    return plan.names.length > 0 ? await client.resolve(plan.runContext, plan.names) : [];
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

interface ExecPlan {
  local: boolean;
  envFile?: string;
  names: string[];
  runContext: RunContext;
  connection: ResolverConnectionOptions;
  command: string;
  args: string[];
}

async function planExec(context: CommandContext): Promise<ExecPlan> {
  // Everything after `--` belongs to the command, so its flags never clash with ours.
  const separator = context.args.indexOf('--');
  const { values, positionals } = parseFlags(
    separator === -1 ? context.args : context.args.slice(0, separator),
  );
  if (values.help) throw new UsageError('');
  if (positionals.length > 0)
    throw new UsageError(`give the command to run after --, as in: -- ${positionals.join(' ')}`);
  const [command, ...args] = separator === -1 ? [] : context.args.slice(separator + 1);
  if (!command) throw new UsageError('give the command to run after --');
  const local = values.local === true;
  if (values['env-file'] !== undefined && !local) throw new UsageError('--env-file needs --local');
  if (values.names === undefined && values.template === undefined) {
    throw new UsageError('say which secrets to resolve with --names or --template');
  }
  const names = new Set<string>();
  for (const list of values.names ?? []) {
    for (const name of list.split(',').map((n) => n.trim())) if (name) names.add(name);
  }
  for (const path of values.template ?? []) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new UsageError(`cannot read the template ${path}`);
    }
    for (const name of extractSecretReferences(text)) names.add(name);
  }
  const invalid = [...names].filter((name) => !isValidSecretName(name));
  if (invalid.length > 0) throw new UsageError(`not a valid secret name: ${invalid.join(', ')}`);
  const fromEnv = (name: string) => context.env[name]?.trim() || undefined;

  return {
    local,
    envFile: values['env-file'],
    names: [...names],
    runContext: buildRunContext(values, local),
    // A flag wins over its environment variable, so one run can point elsewhere.
    connection: {
      address:
        values.resolver ??
        fromEnv('STRONGROOM_RESOLVER_ADDRESS') ??
        `localhost:${context.config.resolverPort}`,
      caPath: values.ca ?? fromEnv('STRONGROOM_RESOLVER_CA'),
      certPath: values.cert ?? fromEnv('STRONGROOM_RUNNER_CERT'),
      keyPath: values.key ?? fromEnv('STRONGROOM_RUNNER_KEY'),
      deadlineMs: parseDeadline(values['deadline-ms']),
    },
    command,
    args,
  };
}

const FLAGS = {
  help: { type: 'boolean', short: 'h' },
  local: { type: 'boolean' },
  'env-file': { type: 'string' },
  names: { type: 'string', multiple: true },
  template: { type: 'string', multiple: true },
  workspace: { type: 'string' },
  workflow: { type: 'string' },
  run: { type: 'string' },
  trigger: { type: 'string' },
  'triggered-by': { type: 'string' },
  'workflow-owner': { type: 'string' },
  step: { type: 'string' },
  resolver: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'deadline-ms': { type: 'string' },
} as const;

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

type FlagValues = ReturnType<typeof parseFlags>['values'];

/** Remote runs need a complete context (it decides whose personal secrets apply); local runs fill in placeholders. */
function buildRunContext(values: FlagValues, local: boolean): RunContext {
  const text = (
    key: 'workspace' | 'workflow' | 'run' | 'trigger' | 'triggered-by' | 'workflow-owner' | 'step',
  ) => values[key]?.trim() || undefined;
  const rawTrigger = text('trigger')?.toUpperCase();
  if (rawTrigger !== undefined && !TRIGGERS.includes(rawTrigger as Trigger)) {
    throw new UsageError(`--trigger must be one of ${TRIGGERS.join(', ')}`);
  }
  const trigger = (rawTrigger ?? (local ? 'MANUAL' : undefined)) as Trigger | undefined;
  if (!local) {
    const missing: string[] = (['workspace', 'workflow', 'run', 'trigger'] as const).filter(
      (key) => !text(key),
    );
    // The principal whose personal secrets the run may use (SPEC §6) must be named.
    if (trigger === 'MANUAL' && !text('triggered-by')) missing.push('triggered-by');
    if (trigger && trigger !== 'MANUAL' && !text('workflow-owner')) missing.push('workflow-owner');
    if (missing.length > 0)
      throw new UsageError(`a remote resolve needs ${missing.map((m) => `--${m}`).join(', ')}`);
  }
  return {
    workspaceId: text('workspace') ?? 'local',
    workflowId: text('workflow') ?? 'local',
    runId: text('run') ?? 'local',
    trigger: trigger ?? 'MANUAL',
    triggeredBy: text('triggered-by') ?? '',
    workflowOwner: text('workflow-owner') ?? '',
    stepId: text('step') ?? '',
  };
}

function parseDeadline(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const deadline = Number(raw);
  if (!Number.isInteger(deadline) || deadline < 1)
    throw new UsageError('--deadline-ms must be a whole number >= 1');
  return deadline;
}
