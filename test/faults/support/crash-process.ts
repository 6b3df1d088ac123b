/** Polls `probe` until it returns something other than undefined, or throws after `timeoutMs`. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs, intervalMs = 5, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The environment of a CLI process on `database` with its own data dir (dev keyring and
 * JWT keys live there); `spawnCli` lays it over a copy of this process's environment
 * with every STRONGROOM_ variable removed.
 */
export function cliEnv(
  dataDir: string,
  databaseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'development',
    STRONGROOM_LOG_LEVEL: 'warn',
    STRONGROOM_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ...extra,
  };
}
