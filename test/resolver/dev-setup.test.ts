import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { loadConfig } from '../../services/core/config/config.js';
import { createEnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import { certsCommand } from '../../services/cli/commands/certs.js';
import { Scope, Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { startResolver } from '../../services/app/resolver-app.js';
import { DEV_RUNNER_URI, ensureDevCertificates } from '../../services/resolver/tls/dev-certificates.js';
import { loadTlsMaterial } from '../../services/resolver/tls/tls-material.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { createSecretStore } from '../../services/storage/secret-store.js';
import { openMigratedDataSource } from '../support/databases.js';
import { createTestKeyring } from '../support/test-keyring.js';
import { createResolverClient } from './support/resolver-client.js';
import { seedSecret } from '../support/seed-secret.js';
import { openTestIntegrity } from '../support/integrity.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strongroom-certs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commandContext = (args: string[], lines: string[]) => ({
  config: loadConfig({ STRONGROOM_DATA_DIR: dir }),
  args,
  logger: pino({ level: 'silent' }),
  env: {},
  out: (line: string) => void lines.push(line),
  err: (line: string) => void lines.push(line),
});

describe('strongroom certs dev', () => {
  it('writes a CA, a localhost server certificate and a runner certificate, keys mode 0600', async () => {
    const out = join(dir, 'certs');
    const lines: string[] = [];
    expect(await certsCommand(commandContext(['dev', '--out', out], lines))).toBe(0);
    for (const key of ['ca-key.pem', 'server-key.pem', 'runner-key.pem']) {
      expect(statSync(join(out, key)).mode & 0o777).toBe(0o600);
    }
    const server = new X509Certificate(readFileSync(join(out, 'server.pem')));
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    const runner = new X509Certificate(readFileSync(join(out, 'runner.pem')));
    expect(runner.subjectAltName).toBe(`URI:${DEV_RUNNER_URI}`);
    expect(runner.subject).toContain('CN=dev-runner');
    expect(runner.verify(new X509Certificate(readFileSync(join(out, 'ca.pem'))).publicKey)).toBe(true);

    // A second run refuses to overwrite unless told to.
    expect(await certsCommand(commandContext(['dev', '--out', out], lines))).toBe(1);
    expect(await certsCommand(commandContext(['dev', '--out', out, '--force'], lines))).toBe(0);
    expect(await certsCommand(commandContext(['dev'], lines))).toBe(2);
  });
});

describe('development TLS from the data dir', () => {
  it('generates the set once in <dataDir>/tls and serves a dev runner with it', async () => {
    const dataDir = join(dir, 'data');
    const config = { ...loadConfig({ STRONGROOM_DATA_DIR: dataDir }), resolverPort: 0 };
    const first = await loadTlsMaterial(config);
    expect(first.generated).toBeDefined();
    expect(first.paths.cert).toBe(join(dataDir, 'tls', 'server.pem'));
    expect((await loadTlsMaterial(config)).generated).toBeUndefined();
    // A set about to expire is replaced rather than served.
    const inTwoYears = new Date(Date.now() + 2 * 365 * 24 * 60 * 60 * 1000);
    expect((await ensureDevCertificates(join(dataDir, 'tls'), inTwoYears)).created).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/STRONGROOM_TLS_CERT/);

    const db = await openMigratedDataSource('sqlite');
    const keyring = createTestKeyring();
    const cipher = createEnvelopeCipher({ keyring });
    const { stateTags, stateSealer } = await openTestIntegrity(db.dataSource, keyring);
    const auditLog = await openAuditLog({ auditStore: createAuditStore(db) });
    const resolver = await startResolver({
      config,
      logger: pino({ level: 'silent' }),
      dataSource: db.dataSource,
      cipher,
      stateTags,
      auditLog,
    });
    try {
      expect(resolver.summary.join('\n')).toContain(join(dataDir, 'tls', 'ca.pem'));
      await seedSecret(
        { secretStore: createSecretStore(db), cipher, stateSealer },
        { workspaceId: 'w', name: 'DEV', value: 'dev-value' },
      );
      const tls = join(dataDir, 'tls');
      const client = createResolverClient(resolver.port, {
        caPem: readFileSync(join(tls, 'ca.pem'), 'utf8'),
        client: {
          certPem: readFileSync(join(tls, 'runner.pem'), 'utf8'),
          keyPem: readFileSync(join(tls, 'runner-key.pem'), 'utf8'),
        },
      });
      const context = {
        workspaceId: 'w',
        trigger: Trigger.MANUAL,
        triggeredBy: 'u',
        runId: 'r',
        workflowId: 'f',
      };
      const { response } = await client.resolve({ context, names: ['DEV'] });
      client.close();
      expect(response?.secrets[0]).toMatchObject({ value: 'dev-value', scope: Scope.WORKSPACE });
    } finally {
      await resolver.close();
      await db.close();
    }
  });
});
