import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startResolver, type StartedResolver } from '../../services/app/resolver-app.js';
import { loadConfig } from '../../services/core/config/config.js';
import { createRunnerPolicy } from '../../services/core/resolution/runner-policy.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { createRevocationList, serialNumberOf } from '../../services/resolver/tls/certificates.js';
import { waitFor } from '../support/cli-process.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { seedSecret } from '../support/seed-secret.js';
import { createResolverClient } from './support/resolver-client.js';
import { createResolverHarness, type ResolverHarness } from './support/resolver-harness.js';
import { createTestPki, RUNNER_ALPHA, RUNNER_CLOUD, RUNNER_GAMMA, type TestPki } from './support/test-pki.js';

/**
 * SPEC §6.1: identities are typed (a CN never passes for a URI), a certificate names one
 * runner, and revocations and policy changes apply while the resolver serves.
 */
const WS = 'ws-ids';
const context = {
  workspaceId: WS,
  workflowId: 'wf',
  runId: 'run-ids',
  trigger: Trigger.MANUAL,
  triggeredBy: 'u1',
  workflowOwner: 'o1',
  stepId: '',
};

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(DATABASE_KINDS)('runner identities on %s', (kind) => {
  let h: ResolverHarness;
  beforeAll(async () => {
    h = await createResolverHarness(kind, pki);
    await seedSecret(h, { workspaceId: WS, name: 'CLOUD_ONLY', value: 'cloud-only-value-0123' });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The cloud runner may resolve for every workspace; nobody else for this one. */
  const policy = createRunnerPolicy({ [RUNNER_CLOUD]: ['*'] });

  async function resolveAs(port: number, certificate: TestPki['runnerAlpha']) {
    const requestId = `id-${randomUUID()}`;
    const { response, error } = await h
      .client(port, certificate)
      .resolve({ context, names: ['CLOUD_ONLY'] }, { requestId });
    return { response, error, rows: await h.auditEvents(requestId) };
  }

  it('production (uri only): a CN that spells the cloud runner URI is no runner at all', async () => {
    const { port } = await h.startServer({ policy, identityRule: 'uri' });
    const result = await resolveAs(port, pki.cnSpellingUri);
    expect(result.response).toBeUndefined();
    expect(result.error?.code).toBe(status.UNAUTHENTICATED);
    expect(result.rows.map((r) => [r.action, r.outcome, r.reason, r.runner])).toEqual([
      ['auth.denied', 'DENIED', 'CN_NOT_ACCEPTED', ''],
    ]);
  });

  it('uri-or-cn: the same CN is the runner cn:<CN>, which the policy entry for the URI does not cover', async () => {
    const { port } = await h.startServer({ policy, identityRule: 'uri-or-cn' });
    const result = await resolveAs(port, pki.cnSpellingUri);
    expect(result.response).toBeUndefined();
    expect(result.error?.code).toBe(status.PERMISSION_DENIED);
    expect(result.rows.map((r) => [r.outcome, r.reason, r.runner])).toEqual([
      ['DENIED', 'RUNNER_NOT_ALLOWED', `cn:${RUNNER_CLOUD}`],
    ]);
  });

  it.each(['uri', 'uri-or-cn'] as const)(
    '%s: a certificate with two URI SANs is refused, not read as its first',
    async (identityRule) => {
      const { port } = await h.startServer({
        policy: createRunnerPolicy({ [RUNNER_ALPHA]: ['*'], [RUNNER_CLOUD]: ['*'] }),
        identityRule,
      });
      const result = await resolveAs(port, pki.twoUris);
      expect(result.response).toBeUndefined();
      expect(result.error?.code).toBe(status.UNAUTHENTICATED);
      expect(result.rows.map((r) => [r.action, r.reason])).toEqual([['auth.denied', 'SEVERAL_URI_SANS']]);
    },
  );
});

describe('revocation and policy changes while serving (the production wiring)', () => {
  let dir: string;
  let h: ResolverHarness;
  let resolver: StartedResolver;
  const crlPath = () => join(dir, 'runners.crl.pem');
  const policyPath = () => join(dir, 'runner-policy.json');
  const writePolicy = (runners: Record<string, string[]>) =>
    writeFileSync(policyPath(), JSON.stringify({ runners }));
  const clientOf = (certificate: TestPki['runnerAlpha']) =>
    createResolverClient(resolver.port, { caPem: pki.caPem, client: certificate });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strongroom-identities-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    writeFileSync(crlPath(), await createRevocationList(pki.ca, []));
    writePolicy({ [RUNNER_ALPHA]: [WS], [RUNNER_GAMMA]: [WS] });
    const config = {
      ...loadConfig({
        STRONGROOM_DATA_DIR: dir,
        STRONGROOM_TLS_CERT: file('server.pem', pki.server.certPem),
        STRONGROOM_TLS_KEY: file('server-key.pem', pki.server.keyPem),
        STRONGROOM_RUNNER_CA: file('ca.pem', pki.caPem),
        STRONGROOM_RUNNER_CRL: crlPath(),
        STRONGROOM_RUNNER_POLICY: policyPath(),
      }),
      resolverPort: 0,
    };
    h = await createResolverHarness('sqlite', pki);
    await seedSecret(h, { workspaceId: WS, name: 'GUARDED', value: 'guarded-value-0123456789' });
    resolver = await startResolver({
      config,
      logger: pino({ level: 'silent' }),
      dataSource: h.dataSource,
      cipher: h.cipher,
      stateTags: h.stateTags,
      auditLog: h.auditLog,
    });
  });
  afterAll(async () => {
    await resolver?.close(1_000);
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const resolves = async (client: ReturnType<typeof clientOf>) =>
    (await client.resolve({ context, names: ['GUARDED'] }, { deadlineMs: 3_000 })).error?.code ?? 'OK';
  /** Waits until `client`'s calls answer `expected` (the watcher polls its files every second). */
  const untilAnswers = (client: ReturnType<typeof clientOf>, expected: status | 'OK') =>
    waitFor(async () => {
      const answer = await resolves(client);
      if (answer !== expected) throw new Error(`answered ${answer}, waiting for ${expected}`);
    }, 10_000);

  it('a certificate revoked after start is cut and refused on its next connection, without a restart', async () => {
    const gamma = clientOf(pki.runnerGamma);
    const alpha = clientOf(pki.runnerAlpha);
    try {
      expect(await resolves(gamma)).toBe('OK');
      writeFileSync(crlPath(), await createRevocationList(pki.ca, [serialNumberOf(pki.runnerGamma.certPem)]));
      await untilAnswers(gamma, status.UNAVAILABLE);
      // A fresh connection is refused at the handshake too; other runners are served.
      const again = clientOf(pki.runnerGamma);
      expect(await resolves(again)).toBe(status.UNAVAILABLE);
      again.close();
      expect(await resolves(alpha)).toBe('OK');
    } finally {
      gamma.close();
      alpha.close();
    }
  });

  it('a runner removed from the policy file is refused from the next call; a broken file changes nothing', async () => {
    const alpha = clientOf(pki.runnerAlpha);
    try {
      expect(await resolves(alpha)).toBe('OK');
      writePolicy({ [RUNNER_GAMMA]: [WS] });
      await untilAnswers(alpha, status.PERMISSION_DENIED);
      writeFileSync(policyPath(), '{ not json');
      // Give the watcher time to see the broken file: the policy in force stays.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await resolves(alpha)).toBe(status.PERMISSION_DENIED);
      writePolicy({ [RUNNER_ALPHA]: [WS] });
      await untilAnswers(alpha, 'OK');
    } finally {
      alpha.close();
    }
  });

  it('its summary names the identity rule, the revocation list and the policy file', () => {
    const summary = resolver.summary.join('\n');
    expect(summary).toContain(crlPath());
    expect(summary).toContain(`${policyPath()} (reloaded when it changes)`);
    expect(readFileSync(crlPath(), 'utf8')).toContain('BEGIN X509 CRL');
  });
});
