import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';

/** A file being watched; `close` stops watching. */
export interface WatchedFile {
  close(): void;
}

/**
 * Calls `onChange` with a file's new contents whenever it changes, checked every
 * `intervalMs` by polling its metadata. Polling rather than inotify: a Kubernetes
 * Secret or ConfigMap is updated by swapping a symlink, which inotify on the old path
 * does not see. A change that cannot be read or applied goes to `onError`, and the
 * caller keeps what it had: a broken file never replaces a working one.
 */
export function watchFileContents(
  path: string,
  onChange: (contents: Buffer) => void,
  { intervalMs = 1_000, onError }: { intervalMs?: number; onError: (error: unknown) => void },
): WatchedFile {
  const listener = (current: Stats, previous: Stats) => {
    if (
      current.mtimeMs === previous.mtimeMs &&
      current.size === previous.size &&
      current.ino === previous.ino
    )
      return;
    try {
      onChange(readFileSync(path));
    } catch (error) {
      onError(error);
    }
  };
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return { close: () => unwatchFile(path, listener) };
}
