import type { TokenClaims } from '../../../services/core/auth/dev-jwt-keys.js';
import { freePort, spawnCli, untilReady, type CliProcess } from '../../support/cli-process.js';
import { devToken } from '../../support/dev-token.js';

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

/** A `strongroom api` process that answers, with a token of one caller. */
export interface CliApi {
  process: CliProcess;
  /** Sends an operation as the token's holder; the fetch Response, its body not yet read. */
  post(query: string, variables: object): Promise<Response>;
  /** Sends an operation as the token's holder; its JSON answer (a body that is not JSON throws). */
  gql<Answer = GraphQLAnswer>(query: string, variables: object): Promise<Answer>;
}

/** A GraphQL answer: its shapes vary per operation. */
export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/**
 * Starts `strongroom api` on `databaseUrl` with `dataDir`, waits until it is ready and signs
 * a development token for `claims`. A process that does not get ready is killed before the
 * error is thrown: the caller never gets hold of it to clean up.
 */
export async function startCliApi(
  dataDir: string,
  databaseUrl: string,
  claims: TokenClaims,
): Promise<CliApi> {
  const port = await freePort();
  const cli = spawnCli(['api'], cliEnv(dataDir, databaseUrl, { STRONGROOM_API_PORT: String(port) }));
  let token: string;
  try {
    await untilReady(cli, port, 45_000).catch((error: Error) => {
      throw new Error(`${error.message}; its stderr: ${cli.stderr().slice(-2_000)}`);
    });
    // After the process is up: it is the one that creates the key pair in `dataDir`.
    token = await devToken(dataDir, claims);
  } catch (error) {
    await cli.kill();
    throw error;
  }
  const post = (query: string, variables: object) =>
    fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
  return {
    process: cli,
    post,
    async gql<Answer>(query: string, variables: object) {
      return (await (await post(query, variables)).json()) as Answer;
    },
  };
}
