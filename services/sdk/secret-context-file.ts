import { chmod, chown, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidAlias } from './secret-aliases.js';
import { SecretAliasError } from './sdk-errors.js';

/** Where and how `writeSecretContextFile` writes. */
export interface SecretContextFileOptions {
  /** Directory in which the private directory is created; default the OS temp dir. */
  parent?: string;
  /** Prefix of the private directory's name; default `strongroom-context-`. */
  prefix?: string;
  /** Name of the file inside it; default `context.json`. */
  fileName?: string;
  /**
   * Hand the directory and file to this user and group (needs the privilege to
   * chown, usually root): for a sandbox that runs the step as another OS user,
   * which could otherwise not open them.
   */
  owner?: { uid: number; gid: number };
}

/** A written context file; `remove()` deletes it with its directory. */
export interface SecretContextFile {
  /** The file, `<directory>/<fileName>`. */
  path: string;
  /** The private directory holding it (mode 0700). */
  directory: string;
  /** Deletes the directory and the file; safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * Writes `{ "secrets": { "<alias>": value } }` (seed 002's `context.json`) for
 * custom code that reads its secrets from a file rather than the environment,
 * which every process of the same user can read from /proc and every child
 * inherits. The file has mode 0600 and lives in a fresh directory of mode 0700
 * (`mkdtemp`), so no other user can open it, list it, or swap it for a link
 * while it is written; it is complete before its path is returned.
 *
 * This is what `strongroom exec --context-file` uses; a runner that starts its
 * own sandbox calls it, mounts or passes `path`, and calls `remove()` when the
 * step ends, also when it fails. Keys must be aliases (identifiers, see
 * `ALIAS_PATTERN`); `SecretAliasError` otherwise.
 */
export async function writeSecretContextFile(
  secrets: Readonly<Record<string, string>>,
  options: SecretContextFileOptions = {},
): Promise<SecretContextFile> {
  const invalid = Object.keys(secrets).filter((key) => !isValidAlias(key));
  if (invalid.length > 0)
    throw new SecretAliasError(
      `context keys must be identifiers, not ${invalid.map((k) => JSON.stringify(k)).join(', ')}`,
    );
  const fileName = options.fileName ?? 'context.json';
  if (fileName.includes('/') || fileName === '.' || fileName === '..' || fileName === '')
    throw new SecretAliasError(
      `the context file name must be a plain file name, not ${JSON.stringify(fileName)}`,
    );

  const directory = await mkdtemp(join(options.parent ?? tmpdir(), options.prefix ?? 'strongroom-context-'));
  const remove = () => rm(directory, { recursive: true, force: true });
  try {
    await chmod(directory, 0o700); // mkdtemp already does; the umask cannot widen it, but say so
    const path = join(directory, fileName);
    // 'wx': create, never follow or reuse an existing file.
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.chmod(0o600);
      // Own properties in a fresh object: a key such as __proto__ stays an ordinary key.
      const context = { secrets: Object.fromEntries(Object.entries(secrets)) };
      await handle.writeFile(`${JSON.stringify(context)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.owner) {
      await chown(path, options.owner.uid, options.owner.gid);
      await chown(directory, options.owner.uid, options.owner.gid);
    }
    return { path, directory, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
