import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config/config.js';
import { loadKeyring } from '../../services/core/config/load-keyring.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { Trigger } from '../../services/resolver/gen/strongroom/resolver/v1/resolver_pb.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { SecretEntity } from '../../services/storage/entities/secret-entity.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { createResolverClient } from '../resolver/support/resolver-client.js';
import { seedSecret } from '../support/seed-secret.js';
import { httpGet } from './support/http-get.js';

/** A port nobody listens on right now (the OS picks it; we release it for the child). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

let dataDir: string;
let child: ChildProcess | undefined;
let stderr = '';

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'strongroom-shutdown-'));
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('strongroom resolver, as a process', () => {
  it('serves, then on SIGTERM drains, flushes lastUsedAt, closes the database and exits 0', async () => {
    const [grpcPort, opsPort] = [await freePort(), await freePort()];
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'development',
      STRONGROOM_LOG_LEVEL: 'info',
      STRONGROOM_DATA_DIR: dataDir,
      STRONGROOM_RESOLVER_PORT: String(grpcPort),
      STRONGROOM_RESOLVER_METRICS_PORT: String(opsPort),
    };
    for (const name of ['DATABASE_URL', 'STRONGROOM_MASTER_KEYS', 'STRONGROOM_MASTER_KEYS_FILE'])
      delete env[name];
    child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/main.ts', 'resolver'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.resume();
    const exited = exitOf(child);

    // Ready means migrated, keyring and certificates generated, both ports bound.
    expect((await waitFor(() => httpGet(opsPort, '/readyz'), 20_000)).status).toBe(200);

    // A secret written beside the running process, with the keyring it generated.
    const config = loadConfig({ STRONGROOM_DATA_DIR: dataDir });
    const cipher = createEnvelopeCipher({ keyring: loadKeyring(config, () => undefined) });
    const dataSource = createDataSource(config.database);
    await dataSource.initialize();
    try {
      const secret = await seedSecret(
        { secretStore: createSecretStore({ dataSource }), cipher },
        { workspaceId: 'w', name: 'A', value: 'a-value' },
      );
      const tls = join(dataDir, 'tls');
      const client = createResolverClient(grpcPort, {
        caPem: readFileSync(join(tls, 'ca.pem'), 'utf8'),
        client: {
          certPem: readFileSync(join(tls, 'runner.pem'), 'utf8'),
          keyPem: readFileSync(join(tls, 'runner-key.pem'), 'utf8'),
        },
      });
      const context = { workspaceId: 'w', trigger: Trigger.MANUAL, triggeredBy: 'u', runId: 'r' };
      const { response } = await client.resolve({ context, names: ['A'] });
      client.close();
      expect(response?.secrets[0]?.value).toBe('a-value');

      const signalled = Date.now();
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(stderr).toContain('"msg":"stopped"');

      // lastUsedAt is flushed every 30 s and on shutdown: this one can only come from the shutdown.
      const row = await dataSource.manager.findOneByOrFail(SecretEntity, { id: secret.id });
      expect(row.lastUsedAt).toBeInstanceOf(Date);
    } finally {
      await dataSource.destroy();
    }
    // The ports are released.
    await expect(httpGet(opsPort, '/healthz')).rejects.toThrow();
  });
});
