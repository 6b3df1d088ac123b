import { readFile as readFileFromDisk } from 'node:fs/promises';
import { parse } from 'dotenv';
import { badInput, DomainError } from '../protocol/domain-error.js';
import { isValidSecretName } from '../protocol/secret-names.js';
import { MissingSecretsError } from './sdk-errors.js';
import type { ResolvedSecret, RunContext, SecretResolverClient } from './resolver-client-types.js';

/** Where the local resolver finds values. */
export interface LocalResolverOptions {
  /** Environment variables; the CLI passes `process.env`, tests a plain object. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Path of a `.env` file, parsed with `dotenv`'s rules. It must exist when given. */
  envFile?: string;
  /** Reads the `.env` file; tests may replace it. */
  readFile?: (path: string) => Promise<string>;
}

/**
 * The "run it on my laptop" resolver (SPEC §9): the same interface as the remote
 * client, with values from environment variables and an optional `.env` file;
 * no server and no workspace store are involved, and the run context is accepted
 * but not used.
 *
 * Precedence: an environment variable wins over the same name in the file, as
 * with `dotenv` itself, so a one-off `NAME=… strongroom exec` overrides the file.
 * An empty value counts as missing (SPEC §3 values are at least one byte), so an
 * accidental `NAME=` never becomes an empty credential. Values are reported with
 * scope `PERSONAL` (they are the developer's own) and version 0 (unversioned).
 * The file is read on every `resolve`, so edits apply to the next run.
 */
export function createLocalResolver(options: LocalResolverOptions = {}): SecretResolverClient {
  const env = options.env ?? {};
  const readFile = options.readFile ?? ((path: string) => readFileFromDisk(path, 'utf8'));

  const loadFile = async (): Promise<Record<string, string>> => {
    if (options.envFile === undefined) return {};
    let text: string;
    try {
      text = await readFile(options.envFile);
    } catch (error) {
      throw new DomainError('NOT_FOUND', `cannot read the .env file ${options.envFile}`, {
        details: { field: 'envFile' },
        cause: error,
      });
    }
    return parse(text);
  };

  return {
    async resolve(_context: RunContext, names: readonly string[]): Promise<ResolvedSecret[]> {
      const distinct = [...new Set(names)];
      const invalid = distinct.filter((name) => !isValidSecretName(name));
      if (invalid.length > 0) {
        throw badInput(
          'names',
          `not a valid secret name: ${invalid.map((n) => JSON.stringify(n)).join(', ')}`,
        );
      }
      const fromFile = await loadFile();
      const lookup = (name: string): string | undefined =>
        nonEmpty(Object.hasOwn(env, name) ? env[name] : undefined) ??
        nonEmpty(Object.hasOwn(fromFile, name) ? fromFile[name] : undefined);

      const missing = distinct.filter((name) => lookup(name) === undefined);
      if (missing.length > 0) throw new MissingSecretsError(missing);
      return distinct.map((name) => ({ name, value: lookup(name) as string, scope: 'PERSONAL', version: 0 }));
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
