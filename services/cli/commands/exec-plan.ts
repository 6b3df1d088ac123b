import { lstat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../../core/config/config.js';
import { DomainError } from '../../protocol/domain-error.js';
import { isValidSecretName } from '../../protocol/secret-names.js';
import {
  TRIGGERS,
  type ResolverConnectionOptions,
  type RunContext,
  type Trigger,
} from '../../sdk/resolver-client-types.js';
import {
  parseSecretAlias,
  planSecretExposures,
  type SecretAlias,
  type SecretExposure,
} from '../../sdk/secret-aliases.js';
import { runContextFromGrant } from '../../sdk/run-grant-context.js';
import { extractSecretReferences } from '../../sdk/secret-references.js';
import { SecretAliasError } from '../../sdk/sdk-errors.js';
import { readTemplateFile } from '../../sdk/template-file.js';
import type { CommandContext } from '../command.js';

/** Raised for a bad command line; becomes exit code 2 with the usage text (after `hints`, if any). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hints: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Everything `strongroom exec` will do, worked out before anything is resolved or started. */
export interface ExecPlan {
  local: boolean;
  envFile?: string;
  /** Distinct secret names to resolve. */
  names: string[];
  /** The key (alias or own name) of each secret, as the command sees it. */
  exposures: SecretExposure[];
  /** Absolute path where the command finds `{ secrets }`, instead of environment variables. */
  contextFile?: string;
  dryRun: boolean;
  runContext: RunContext;
  /** The run grant passed on to the resolver (SPEC §6.1); the context is the grant's. */
  runGrant?: string;
  connection: ResolverConnectionOptions;
  /** Credential files and directories no variable of the command may name (SPEC §9). */
  withheldPaths: string[];
  command?: string;
  args: string[];
}

const FLAGS = {
  help: { type: 'boolean', short: 'h' },
  local: { type: 'boolean' },
  'env-file': { type: 'string' },
  names: { type: 'string', multiple: true },
  template: { type: 'string', multiple: true },
  map: { type: 'string', multiple: true },
  'context-file': { type: 'string' },
  'dry-run': { type: 'boolean' },
  workspace: { type: 'string' },
  workflow: { type: 'string' },
  run: { type: 'string' },
  trigger: { type: 'string' },
  'triggered-by': { type: 'string' },
  'workflow-owner': { type: 'string' },
  step: { type: 'string' },
  'run-grant': { type: 'string' },
  resolver: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'deadline-ms': { type: 'string' },
} as const;

/** Variables of this form are never passed to the command, so no alias may be one. */
const RESERVED_KEY = /^STRONGROOM_/i;

/** Reads the command line (and the template files it names) into a plan; throws UsageError. */
export async function planExec(context: CommandContext): Promise<ExecPlan> {
  // Everything after `--` belongs to the command, so its flags never clash with ours.
  const separator = context.args.indexOf('--');
  const { values, positionals } = parseFlags(
    separator === -1 ? context.args : context.args.slice(0, separator),
  );
  if (values.help) throw new UsageError('');
  if (positionals.length > 0)
    throw new UsageError(`give the command to run after --, as in: -- ${positionals.join(' ')}`);
  const [command, ...args] = separator === -1 ? [] : context.args.slice(separator + 1);
  const dryRun = values['dry-run'] === true;
  if (!command && !dryRun) throw new UsageError('give the command to run after --');
  const local = values.local === true;
  if (values['env-file'] !== undefined && !local) throw new UsageError('--env-file needs --local');
  if (values.names === undefined && values.template === undefined && values.map === undefined) {
    throw new UsageError('say which secrets to resolve with --names, --template or --map');
  }

  const names = new Set<string>();
  for (const list of values.names ?? []) {
    for (const name of list.split(',').map((n) => n.trim())) if (name) names.add(name);
  }
  for (const path of values.template ?? []) {
    for (const name of await templateReferences(path)) names.add(name);
  }
  const aliases = (values.map ?? []).map(parseAlias);
  for (const { name } of aliases) names.add(name);
  const invalid = [...names].filter((name) => !isValidSecretName(name));
  if (invalid.length > 0) throw new UsageError(`not a valid secret name: ${invalid.join(', ')}`);

  const contextFile =
    values['context-file'] === undefined ? undefined : await contextFilePath(values['context-file']);
  const exposures = planExposures([...names], aliases, contextFile !== undefined);
  const connection = connectionOptions(values, context);
  const runGrant = local
    ? undefined
    : values['run-grant']?.trim() || context.env.STRONGROOM_RUN_GRANT?.trim() || undefined;
  return {
    local,
    envFile: values['env-file'],
    names: [...names],
    exposures,
    contextFile,
    dryRun,
    runContext: runGrant ? contextOfGrant(runGrant, values) : buildRunContext(values, local),
    runGrant,
    connection,
    withheldPaths: withheldPaths(context.config, local ? {} : connection),
    command,
    args,
  };
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

type FlagValues = ReturnType<typeof parseFlags>['values'];

/** The names a template file references; a file that cannot be read or parsed is a usage error. */
async function templateReferences(path: string): Promise<string[]> {
  try {
    return extractSecretReferences(await readTemplateFile(path));
  } catch (error) {
    // TemplateFileError and InvalidSecretReferenceError: a path and a position, never file content.
    if (error instanceof DomainError) throw new UsageError(error.message);
    throw new UsageError(`cannot read the template ${path}`);
  }
}

function parseAlias(text: string): SecretAlias {
  try {
    return parseSecretAlias(text);
  } catch (error) {
    if (error instanceof SecretAliasError) throw new UsageError(`--map: ${error.message}`);
    throw error;
  }
}

/** Who the command sees each secret as; names that cannot be variables get a hint per name. */
function planExposures(names: string[], aliases: SecretAlias[], inContextFile: boolean): SecretExposure[] {
  let exposures: SecretExposure[];
  try {
    exposures = planSecretExposures(names, aliases);
  } catch (error) {
    if (!(error instanceof SecretAliasError)) throw error;
    const hints = error.names.map((name, i) => `hint: --map ${error.suggestions[i]}=${name}`);
    throw new UsageError(error.message.replace('(ALIAS=NAME)', 'with --map ALIAS=NAME'), hints);
  }
  const reserved = exposures.filter((e) => RESERVED_KEY.test(e.key));
  if (!inContextFile && reserved.length > 0) {
    throw new UsageError(
      `${reserved.map((e) => e.key).join(', ')}: STRONGROOM_* variables are never passed to the command; ` +
        'give each another alias with --map ALIAS=NAME',
    );
  }
  return exposures;
}

/** The context file's absolute path; it must not exist yet (exec never overwrites a file). */
async function contextFilePath(given: string): Promise<string> {
  const path = resolve(given);
  if (await exists(path))
    throw new UsageError(`--context-file: ${given} already exists; exec will not overwrite it`);
  if (!(await exists(dirname(path))))
    throw new UsageError(`--context-file: the directory of ${given} does not exist`);
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function connectionOptions(values: FlagValues, context: CommandContext): ResolverConnectionOptions {
  const fromEnv = (name: string) => context.env[name]?.trim() || undefined;
  // A flag wins over its environment variable, so one run can point elsewhere.
  return {
    address:
      values.resolver ?? fromEnv('STRONGROOM_RESOLVER_ADDRESS') ?? `localhost:${context.config.resolverPort}`,
    caPath: values.ca ?? fromEnv('STRONGROOM_RESOLVER_CA'),
    certPath: values.cert ?? fromEnv('STRONGROOM_RUNNER_CERT'),
    keyPath: values.key ?? fromEnv('STRONGROOM_RUNNER_KEY'),
    deadlineMs: parseDeadline(values['deadline-ms']),
  };
}

/**
 * The runner's credentials on disk: its TLS files (given or, in development, the
 * defaults in the data dir), the data dir itself (dev keyring, database, dev
 * certificates) and any server key file configured on this machine.
 */
function withheldPaths(config: Config, connection: Partial<ResolverConnectionOptions>): string[] {
  const paths = [
    connection.caPath,
    connection.certPath,
    connection.keyPath,
    config.dataDir,
    config.tls.certPath,
    config.tls.keyPath,
    'path' in config.masterKeys ? config.masterKeys.path : undefined,
    config.keyring.pkcs11?.pin.kind === 'file' ? config.keyring.pkcs11.pin.path : undefined,
  ];
  return paths.filter((path): path is string => path !== undefined && path !== '');
}

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

/**
 * The run context of a run grant: the grant's fields (the resolver takes them from the
 * grant anyway), with --step as the runner's own. A context flag that says otherwise is
 * refused here, before anything is sent.
 */
function contextOfGrant(runGrant: string, values: FlagValues): RunContext {
  let fromGrant: RunContext;
  try {
    fromGrant = runContextFromGrant(runGrant, values.step?.trim() ?? '');
  } catch (error) {
    throw new UsageError(`--run-grant: ${(error as Error).message}`);
  }
  const flags: Array<[keyof FlagValues & string, keyof RunContext]> = [
    ['workspace', 'workspaceId'],
    ['workflow', 'workflowId'],
    ['run', 'runId'],
    ['trigger', 'trigger'],
    ['triggered-by', 'triggeredBy'],
    ['workflow-owner', 'workflowOwner'],
  ];
  for (const [flag, field] of flags) {
    const given = (values[flag] as string | undefined)?.trim();
    const granted = fromGrant[field];
    if (given && (field === 'trigger' ? given.toUpperCase() : given) !== granted) {
      throw new UsageError(`--${flag} differs from the run grant's (${granted}); leave it out under a grant`);
    }
  }
  return fromGrant;
}

function parseDeadline(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const deadline = Number(raw);
  if (!Number.isInteger(deadline) || deadline < 1)
    throw new UsageError('--deadline-ms must be a whole number >= 1');
  return deadline;
}
