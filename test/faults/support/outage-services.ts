import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServerFor, createVerifierFor } from '../../../services/app/api-app.js';
import { loadOrCreateDevJwtKeys, signDevToken } from '../../../services/core/auth/dev-jwt-keys.js';
import { openRuntime, type Runtime } from '../../../services/app/runtime.js';
import { loadConfig } from '../../../services/core/config/config.js';
import { createOpsHttpServer } from '../../../services/resolver/ops-http-server.js';
import { startResolver } from '../../../services/app/resolver-app.js';
import { postGraphQL, type GraphQLResult } from '../../api/api-harness.js';
import { createResolverClient } from '../../resolver/support/resolver-client.js';
import { captureLogger } from '../../support/capture-logger.js';

/**
 * The API and the resolver (with its ops port) wired exactly as `strongroom start`
 * and `strongroom resolver` wire them — `openRuntime`, `createApiServerFor`,
 * `startResolver`, `createOpsHttpServer` — on the database `databaseUrl` names.
 * A second set on the same database passes the first one's `dataDir`: one keyring
 * opens the database's integrity root (see docs/audit.md), and only the first removes it.
 */
export async function startOutageServices(
  databaseUrl: string,
  env: Record<string, string> = {},
  shared?: { dataDir: string },
) {
  const dataDir = shared?.dataDir ?? mkdtempSync(join(tmpdir(), 'strongroom-outage-'));
  const { logger, logLines } = captureLogger('outage');
  const config = {
    ...loadConfig({ ...env, STRONGROOM_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }),
    apiPort: 0,
    resolverPort: 0,
  };
  const runtime: Runtime = await openRuntime(config, logger);
  const verifyToken = await createVerifierFor(config, logger);
  const api = await createApiServerFor(runtime, { verifyToken, metrics: runtime.metrics });
  const apiPort = await api.listen(0, '127.0.0.1');
  const resolver = await startResolver(runtime);
  const ops = createOpsHttpServer({
    registry: runtime.metrics.registry,
    isReady: resolver.isReady,
    readiness: resolver.readiness,
    logger,
  });
  const opsPort = await ops.listen(0, '127.0.0.1');

  const keys = await loadOrCreateDevJwtKeys(dataDir);
  const tls = (file: string) => readFileSync(join(dataDir, 'tls', file), 'utf8');
  const runner = createResolverClient(resolver.port, {
    caPem: tls('ca.pem'),
    client: { certPem: tls('runner.pem'), keyPem: tls('runner-key.pem') },
  });

  const gql = (
    bearer: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResult> =>
    postGraphQL(`http://127.0.0.1:${apiPort}/graphql`, JSON.stringify({ query, variables }), {
      authorization: `Bearer ${bearer}`,
    });

  const probe = async (url: string) => (await fetch(url)).status;

  return {
    runtime,
    dataDir,
    logLines,
    runner,
    token: (sub: string, workspaceId: string) =>
      signDevToken(
        keys,
        { sub, wid: workspaceId, role: 'admin' },
        { issuer: config.jwt.issuer, audience: config.jwt.audience },
      ),
    gql,
    /** HTTP status of a probe path (`/healthz`, `/readyz`) on the API port and on the resolver's ops port. */
    async probes(path: string) {
      const [apiStatus, opsStatus] = await Promise.all([
        probe(`http://127.0.0.1:${apiPort}${path}`),
        probe(`http://127.0.0.1:${opsPort}${path}`),
      ]);
      return { api: apiStatus, resolverOps: opsStatus };
    },
    async close() {
      runner.close();
      await resolver.close(0);
      await ops.close();
      await api.stop();
      await runtime.close();
      if (!shared) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type OutageServices = Awaited<ReturnType<typeof startOutageServices>>;
