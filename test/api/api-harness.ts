import { readFileSync } from 'node:fs';
import { startResolver } from '../../services/app/resolver-app.js';
import { createResolverClient } from '../../services/sdk/resolver-client.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServerFor, createVerifierFor } from '../../services/app/api-app.js';
import { assembleRuntime } from '../../services/app/runtime.js';
import {
  loadOrCreateDevJwtKeys,
  signDevToken,
  type TokenClaims,
} from '../../services/core/auth/dev-jwt-keys.js';
import { loadConfig } from '../../services/core/config/config.js';
import { createMetrics } from '../../services/core/metrics/metrics.js';
import { captureLogger } from '../support/capture-logger.js';
import { openMigratedDataSource, type DatabaseKind } from '../support/databases.js';
import { createTestKeyring } from '../support/test-keyring.js';

export interface GraphQLResult {
  status: number;
  body: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes vary per operation
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
  text: string;
  /** The `x-request-id` the API answered with (the caller's, or the one it made). */
  requestId: string | null;
}

/** POSTs `body` as JSON to a GraphQL URL; the body is parsed when it is JSON, kept as text either way. */
export async function postGraphQL(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<GraphQLResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let parsed: GraphQLResult['body'] = {};
  try {
    parsed = JSON.parse(text) as GraphQLResult['body'];
  } catch {
    parsed = {};
  }
  return { status: response.status, body: parsed, text, requestId: response.headers.get('x-request-id') };
}

/** A real API on an ephemeral port over a fresh database, with every log line captured. */
export async function startApi(
  kind: DatabaseKind,
  options: {
    production?: boolean;
    /** Trust this JWKS instead of the dev key pair. */
    jwksUrl?: string;
    /** Further configuration variables (STRONGROOM_VERSIONS_KEPT, …). */
    env?: Record<string, string>;
  } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'strongroom-api-'));
  const handle = await openMigratedDataSource(kind);
  const { logger, logLines } = captureLogger('test-api');
  const config = {
    ...loadConfig({
      // Suites send every request from loopback: far above production's limit, unless a test sets it.
      STRONGROOM_AUTH_FAILURE_LIMIT: '10000',
      ...options.env,
      STRONGROOM_DATA_DIR: dataDir,
    }),
    mode: options.production ? ('production' as const) : ('development' as const),
  };
  const runtime = await assembleRuntime({
    config,
    logger,
    dataSource: handle.dataSource,
    keyring: createTestKeyring(),
    metrics: createMetrics(),
  });
  const verifyToken = await createVerifierFor({
    ...config,
    mode: 'development',
    jwt: { ...config.jwt, jwksUrl: options.jwksUrl },
  });
  const api = await createApiServerFor(runtime, { verifyToken, metrics: runtime.metrics });
  const port = await api.listen(0, '127.0.0.1');
  const keys = await loadOrCreateDevJwtKeys(dataDir);
  const url = `http://127.0.0.1:${port}/graphql`;

  const token = (claims: TokenClaims, expiresIn?: string) =>
    signDevToken(keys, claims, { issuer: config.jwt.issuer, audience: config.jwt.audience, expiresIn });

  let stopped: Promise<void> | undefined;
  const post = (body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResult> =>
    postGraphQL(url, typeof body === 'string' ? body : JSON.stringify(body), headers);

  return {
    url,
    port,
    runtime,
    dataSource: handle.dataSource,
    logLines,
    token,
    post,
    /** Runs an operation as the holder of `bearer` (a token string, or none). */
    gql(bearer: string | undefined, query: string, variables: Record<string, unknown> = {}) {
      return post({ query, variables }, bearer ? { authorization: `Bearer ${bearer}` } : {});
    },
    /** Stops the HTTP server (writing what it holds, such as counted failed authentications); the database stays open. */
    stopServer: () => (stopped ??= api.stop()),
    async close() {
      await (stopped ??= api.stop());
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ApiHarness = Awaited<ReturnType<typeof startApi>>;

/** The first error's code, or 'OK' when the operation succeeded. */
export const outcomeOf = (result: GraphQLResult): string =>
  (result.body.errors?.[0]?.extensions?.code as string | undefined) ??
  (result.body.data ? 'OK' : `HTTP_${result.status}`);

/**
 * The resolver beside a harness's API, over its runtime (the same database and keys), and a
 * runner client with the development certificates `strongroom start` writes: the path a
 * value written through GraphQL takes to a runner.
 */
export async function startResolverBeside(api: ApiHarness) {
  const { runtime } = api;
  const resolver = await startResolver({ ...runtime, config: { ...runtime.config, resolverPort: 0 } });
  const tls = (file: string) => readFileSync(join(runtime.config.dataDir, 'tls', file));
  const client = createResolverClient({
    address: `localhost:${resolver.port}`,
    ca: tls('ca.pem'),
    cert: tls('runner.pem'),
    key: tls('runner-key.pem'),
    deadlineMs: 10_000,
  });
  return {
    resolver,
    client,
    async close() {
      client.close?.();
      await resolver.close();
    },
  };
}
