import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config/config.js';
import { loadKeyring } from '../../services/core/config/load-keyring.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { SecretEntity } from '../../services/storage/entities/secret-entity.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { createResolverClient } from '../resolver/support/resolver-client.js';
import { freePort, spawnCli, waitFor, type CliProcess } from '../support/cli-process.js';
import { seedSecret } from '../support/seed-secret.js';
import { httpGet } from '../support/http-get.js';
import { openTestIntegrity } from '../support/integrity.js';

let dataDir: string;
let resolver: CliProcess | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'strongroom-shutdown-'));
});
afterAll(async () => {
  await resolver?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('strongroom resolver, as a process', () => {
  it('serves, then on SIGTERM drains, flushes lastUsedAt, closes the database and exits 0', async () => {
    const [grpcPort, opsPort] = [await freePort(), await freePort()];
    resolver = spawnCli(['resolver'], {
      STRONGROOM_LOG_LEVEL: 'info',
      STRONGROOM_DATA_DIR: dataDir,
      STRONGROOM_RESOLVER_PORT: String(grpcPort),
      STRONGROOM_RESOLVER_METRICS_PORT: String(opsPort),
    });

    // Ready means migrated, keyring and certificates generated, both ports bound.
    expect((await waitFor(() => httpGet(opsPort, '/readyz'), 20_000)).status).toBe(200);

    // A secret written beside the running process, with the keyring it generated.
    const config = loadConfig({ STRONGROOM_DATA_DIR: dataDir });
    const keyring = loadKeyring(config, () => undefined);
    const cipher = createEnvelopeCipher({ keyring });
    const dataSource = createDataSource(config.database);
    await dataSource.initialize();
    try {
      // Tagged with the integrity root the running process made, as its services would.
      const { stateSealer } = await openTestIntegrity(dataSource, keyring);
      const secret = await seedSecret(
        { secretStore: createSecretStore({ dataSource }), cipher, stateSealer },
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
      resolver.child.kill('SIGTERM');
      const { code, signal } = await resolver.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(resolver.stderr()).toContain('"msg":"stopped"');

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
