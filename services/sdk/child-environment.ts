import { isAbsolute, resolve } from 'node:path';

/** What `childEnvironment` withholds beyond `STRONGROOM_*` variables. */
export interface ChildEnvironmentOptions {
  /**
   * Files and directories the child must not be pointed at: the runner's
   * certificate and key, the data dir. A variable whose value names one (as
   * given, or resolved against `cwd`) or contains its absolute path is dropped.
   */
  withheldPaths?: readonly string[];
  /** Resolves relative `withheldPaths`; default the process's working directory. */
  cwd?: string;
}

/** Strongroom's own configuration: the runner's resolver address, TLS files, tokens. */
const STRONGROOM_VARIABLE = /^STRONGROOM_/i;

/**
 * The environment a step's command starts with (SPEC §9): the runner's own,
 * without any `STRONGROOM_*` variable and without any variable that names one of
 * the runner's credential files, so the command learns neither how the runner
 * authenticates nor where its key lies. Secrets are added by the caller after
 * this, under their aliases.
 *
 * It cannot stop a command running as the same OS user from reading the files
 * it was not told about (docs/sdk.md: run steps as another user for that).
 */
export function childEnvironment(
  parent: Readonly<Record<string, string | undefined>>,
  options: ChildEnvironmentOptions = {},
): Record<string, string> {
  const cwd = options.cwd ?? process.cwd();
  const given = (options.withheldPaths ?? []).filter((path) => path !== '');
  // The root directory would match every path-like value; nobody means it.
  const absolute = given
    .map((path) => (isAbsolute(path) ? path : resolve(cwd, path)))
    .filter((p) => p !== '/');
  const names = new Set([...given, ...absolute]);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined || STRONGROOM_VARIABLE.test(key)) continue;
    if (names.has(value) || absolute.some((path) => value.includes(path))) continue;
    env[key] = value;
  }
  return env;
}
