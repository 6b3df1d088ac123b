import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevJwtKeys, signDevToken } from '../../services/api/auth/dev-jwt-keys.js';
import { loadConfig } from '../../services/core/config/config.js';
import { loadKeyring } from '../../services/core/config/load-keyring.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { inspectAfterCrash } from './support/crash-database.js';
import { freePort, spawnCli, type CliProcess } from '../support/cli-process.js';
import { cliEnv, pollUntil } from './support/crash-process.js';

const CREATE = `mutation($input: CreateSecretInput!) { createSecret(input: $input) { id version } }`;
const ROTATE = `mutation($input: UpdateSecretValueInput!) { updateSecretValue(input: $input) { id version } }`;
const IMPORT = `mutation($i: ImportSecretsInput!) { importSecrets(input: $i) { created updated skipped } }`;

// SQLite allows one writer at a time across processes; each process serialises its own
// transactions, so what is left to prove is the waiting between processes.
describe('two `strongroom api` processes on one SQLite file', () => {
  let dataDir: string;
  const apis: CliProcess[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'strongroom-sqlite-procs-'));
  });
  afterAll(async () => {
    await Promise.all(apis.map((a) => a.kill()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'write the same secrets at once without a lost, doubled or failed write',
    { timeout: 60_000 },
    async () => {
      const dbPath = join(dataDir, 'shared.sqlite');
      const ports = [await freePort(), await freePort()];
      for (const port of ports) {
        const api = spawnCli(
          ['api'],
          cliEnv(dataDir, `sqlite:${dbPath}`, { STRONGROOM_API_PORT: String(port) }),
        );
        apis.push(api);
        // One at a time: the first applies the migrations.
        await pollUntil(() => (api.stdout().includes('listening on') ? true : undefined), {
          timeoutMs: 45_000,
          intervalMs: 50,
          what: 'the API to listen',
        });
      }
      const config = loadConfig({ STRONGROOM_DATA_DIR: dataDir });
      const token = await signDevToken(
        await loadOrCreateDevJwtKeys(dataDir),
        { sub: 'alice', wid: 'ws-mp', role: 'admin' },
        { issuer: config.jwt.issuer, audience: config.jwt.audience },
      );
      const gql = async (port: number, query: string, variables: object) => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as { data?: Record<string, { version?: number }>; errors?: unknown[] };
      };

      const created = await gql(ports[0]!, CREATE, { input: { name: 'SHARED', value: 'v0' } });
      const id = (created.data!.createSecret as { id: string }).id;
      const names = Array.from({ length: 30 }, (_, i) => `MP_${i}`);
      await gql(ports[1]!, IMPORT, { i: { dotenv: names.map((n) => `${n}=first`).join('\n') } });

      // Rotations through both processes, and imports overwriting in opposite orders. An
      // import reads before it writes: without taking SQLite's write lock first it got
      // SQLITE_BUSY at once whenever the other process was writing.
      const rotations = Array.from({ length: 40 }, (_, i) =>
        gql(ports[i % 2]!, ROTATE, { input: { id, value: `v${i + 1}` } }),
      );
      const imports = [names, [...names].reverse()].map((order, i) =>
        gql(ports[i]!, IMPORT, {
          i: { dotenv: order.map((n) => `${n}=p${i}`).join('\n'), onConflict: 'OVERWRITE' },
        }),
      );
      const results = await Promise.all([...rotations, ...imports]);
      expect(results.filter((r) => r.errors)).toEqual([]);
      const versions = results.slice(0, 40).map((r) => r.data!.updateSecretValue!.version!);
      expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));

      const dataSource = createDataSource({ kind: 'sqlite', path: dbPath });
      await dataSource.initialize();
      try {
        expect(await inspectAfterCrash(dataSource, loadKeyring(config))).toMatchObject({
          secrets: 31,
          versions: 41 + 30 * 3,
          brokenVersionRuns: 0,
          undecryptable: 0,
          audit: { ok: true },
        });
      } finally {
        await dataSource.destroy();
      }
    },
  );
});
