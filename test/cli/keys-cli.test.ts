import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config/config.js';
import { loadKeyring } from '../../services/core/config/load-keyring.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { readKeyringFile } from '../../services/core/crypto/keyring-file.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { runCli } from '../support/cli.js';
import { seedSecret } from '../support/seed-secret.js';

const dataDir = mkdtempSync(join(tmpdir(), 'strongroom-cli-'));
const env = {
  ...process.env,
  STRONGROOM_DATA_DIR: dataDir,
  STRONGROOM_LOG_LEVEL: 'silent',
  NODE_ENV: 'development',
};
const cli = (...args: string[]) => runCli(args, env);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('strongroom migrate and keys (end to end, SQLite in a fresh data dir)', () => {
  it('migrate creates the schema and is idempotent', async () => {
    expect((await cli('migrate')).stdout).toMatch(/applied \d+ migration/);
    expect((await cli('migrate')).stdout).toMatch(/schema is up to date/);
  });

  it('rotate then rewrap keeps every secret decryptable and retires the old key from all data keys', async () => {
    const config = loadConfig({ STRONGROOM_DATA_DIR: dataDir });
    const keyring = loadKeyring(config);
    const keyringPath = join(dataDir, 'keyring.json');
    expect(statSync(keyringPath).mode & 0o777).toBe(0o600);
    const oldKeyId = keyring.activeKeyId();
    const dataSource = createDataSource(config.database);
    await dataSource.initialize();
    const secretStore = createSecretStore({ dataSource });
    const cipher = createEnvelopeCipher({ keyring });
    const seeded = [];
    for (let i = 0; i < 12; i++) {
      seeded.push(
        await seedSecret({ secretStore, cipher }, { workspaceId: 'ws-cli', name: `K_${i}`, value: `v-${i}` }),
      );
    }
    await dataSource.destroy();

    expect((await cli('keys', 'rotate')).stdout).toMatch(/is now the active key/);
    const rotated = readKeyringFile(keyringPath);
    expect(rotated.keys.map((k) => k.id)).toContain(oldKeyId);
    expect(rotated.activeKeyId).not.toBe(oldKeyId);
    expect(statSync(keyringPath).mode & 0o777).toBe(0o600);

    expect((await cli('keys', 'rewrap', '--batch-size', '5')).stdout).toMatch(
      /rewrapped 12 data key\(s\) .* in 3 batch/,
    );

    const after = createDataSource(config.database);
    await after.initialize();
    const store = createSecretStore({ dataSource: after });
    expect(await store.countVersionsByKey()).toEqual([{ keyId: rotated.activeKeyId, count: 12 }]);
    const freshCipher = createEnvelopeCipher({ keyring: loadKeyring(config) });
    for (const [i, row] of seeded.entries()) {
      const version = (await store.findVersion(row.id, 1))!;
      await expect(
        freshCipher.open(version, {
          workspaceId: 'ws-cli',
          secretId: row.id,
          version: 1,
          scope: row.scope,
          ownerId: row.ownerId,
        }),
      ).resolves.toBe(`v-${i}`);
    }
    await after.destroy();
  });

  it('refuses bad configuration with one line per variable and exit code 78', async () => {
    const result = await runCli(['migrate'], {
      ...env,
      STRONGROOM_API_PORT: 'nope',
      NODE_ENV: 'production',
    }).catch((e: { code: number; stderr: string }) => e);
    expect(result).toMatchObject({ code: 78 });
    expect((result as { stderr: string }).stderr).toMatch(/STRONGROOM_API_PORT must be a port number/);
  });
});
