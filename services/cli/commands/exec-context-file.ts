import { readlink, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { writeSecretContextFile } from '../../sdk/secret-context-file.js';

/** The context file of one `exec` run, at the path the user asked for. */
export interface LinkedContextFile {
  /** Removes the link, the file and its private directory; safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * `exec --context-file PATH`: writes `{ "secrets": { alias: value } }` with
 * `writeSecretContextFile` — mode 0600, in a fresh private directory (0700) — and
 * makes PATH a symbolic link to it. The directory is created beside PATH (named
 * `.strongroom-context-XXXXXX`) and the link is relative, so a sandbox that
 * mounts PATH's directory sees the file too. Creating the link fails if PATH
 * exists (EEXIST), so nothing is ever overwritten, even if PATH appeared after
 * exec checked.
 */
export async function linkContextFile(
  path: string,
  secrets: Readonly<Record<string, string>>,
): Promise<LinkedContextFile> {
  const file = await writeSecretContextFile(secrets, {
    parent: dirname(path),
    prefix: '.strongroom-context-',
    fileName: basename(path),
  });
  const target = relative(dirname(path), file.path);
  try {
    await symlink(target, path);
  } catch (error) {
    await file.remove();
    throw error;
  }
  return {
    async remove() {
      // Only our own link: if someone replaced it meanwhile, leave theirs alone.
      const current = await readlink(path).catch(() => undefined);
      if (current === target) await unlink(path).catch(() => {});
      await file.remove();
    },
  };
}
