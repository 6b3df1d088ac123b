import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { loadOrCreateDevJwtKeys, signDevToken } from '../../services/core/auth/dev-jwt-keys.js';
import { createCertificateAuthority, issueCertificate } from '../../services/resolver/tls/certificates.js';
import { startResolver, type StartedResolver } from '../../services/app/resolver-app.js';
import type { RunContextSchema } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { AuditEventEntity, type AuditEventRow } from '../../services/storage/entities/audit-event-entity.js';
import type { DatabaseKind } from '../support/databases.js';
import { startApi, type ApiHarness, type GraphQLResult } from '../api/api-harness.js';
import { createResolverClient } from '../resolver/support/resolver-client.js';
import { createTestPki } from '../resolver/support/test-pki.js';

/** The workspace every case acts in; the runner policy lets runner alpha (only) serve it. */
export const WS = 'ws-kinds';
/** Part of every value written: no audit row may ever contain it. */
export const CANARY = 'CANARY-7f3c9e1a-never-in-audit';

export const AUDIT_EVENT_FIELDS =
  'id occurredAt action outcome actorType actorId workspaceId secretId secretName scope version workflowId runId trigger runner requestId principal triggeredBy workflowOwner stepId grantId occurrences';

/** The callers of the cases: one token per role, plus tokens the API must refuse. */
export interface Tokens {
  admin: string;
  member: string;
  service: string;
  auditor: string;
  expired: string;
  forged: string;
  wrongAudience: string;
  /** An admin of another workspace. */
  outsider: string;
}

/**
 * A real API and a real mTLS resolver (started by the production `startResolver`
 * wiring) on one database, sharing the process's audit chain as `strongroom start`
 * does. The resolver trusts a test CA and a runner policy file naming runner alpha
 * for WS and runner beta for another workspace only.
 */
export async function startEventKindsEnv(kind: DatabaseKind) {
  const api = await startApi(kind);
  const pki = await createTestPki();
  // A certificate of the trusted CA that names no runner: no SAN URI and an empty CN.
  const ca = await createCertificateAuthority('Strongroom event-kinds CA');
  const nameless = await issueCertificate(ca, { commonName: '', usage: 'client' });
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-event-kinds-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const { runtime } = api;
  const resolver: StartedResolver = await startResolver({
    ...runtime,
    config: {
      ...runtime.config,
      resolverPort: 0,
      tls: {
        certPath: file('server.pem', pki.server.certPem),
        keyPath: file('server-key.pem', pki.server.keyPem),
        runnerCaPath: file('runner-ca.pem', `${pki.caPem}\n${ca.certPem}`),
      },
      runnerPolicyPath: file(
        'policy.json',
        JSON.stringify({
          runners: { 'spiffe://strongroom/runner/alpha': [WS], 'cn:beta-runner': ['ws-beta'] },
        }),
      ),
    },
  });
  const runners = { alpha: pki.runnerAlpha, beta: pki.runnerBeta, nameless };
  const clients = Object.fromEntries(
    Object.entries(runners).map(([name, client]) => [
      name,
      createResolverClient(resolver.port, { caPem: pki.caPem, client }),
    ]),
  ) as Record<keyof typeof runners, ReturnType<typeof createResolverClient>>;

  const stranger = await generateKeyPair('ES256');
  const tokens: Tokens = {
    admin: await api.token({ sub: 'alice', wid: WS, role: 'admin' }),
    member: await api.token({ sub: 'bob', wid: WS, role: 'member' }),
    service: await api.token({ sub: 'svc-github', wid: WS, scope: 'secrets:system' }),
    auditor: await api.token({ sub: 'audrey', wid: WS, scope: 'audit:read' }),
    expired: await api.token({ sub: 'alice', wid: WS, role: 'admin' }, '-10m'),
    forged: await new SignJWT({ wid: WS, role: 'admin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('alice')
      .setIssuer(runtime.config.jwt.issuer)
      .setAudience(runtime.config.jwt.audience)
      .setExpirationTime('1h')
      .sign(stranger.privateKey),
    wrongAudience: await signWithApiKey(api, 'someone-else'),
    outsider: await api.token({ sub: 'olga', wid: 'ws-outside', role: 'admin' }),
  };

  return {
    api,
    tokens,
    /** A GraphQL operation as `bearer` (or anonymous), tagged with `requestId`. */
    gql(
      bearer: string | undefined,
      requestId: string,
      query: string,
      variables: Record<string, unknown> = {},
    ): Promise<GraphQLResult> {
      return api.post(
        { query, variables },
        { 'x-request-id': requestId, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      );
    },
    /** A Resolve call over mTLS as the given runner certificate, tagged with `requestId`. */
    resolve(
      runner: keyof typeof runners,
      requestId: string,
      context: MessageInitShape<typeof RunContextSchema>,
      names: string[],
    ) {
      return clients[runner].resolve({ context, names }, { requestId });
    },
    /** Every stored audit row a request wrote, in chain order. */
    rowsOf: (requestId: string): Promise<AuditEventRow[]> =>
      api.dataSource.manager.find(AuditEventEntity, { where: { requestId }, order: { id: 'ASC' } }),
    allRows: (): Promise<AuditEventRow[]> => api.dataSource.manager.find(AuditEventEntity),
    async close() {
      for (const client of Object.values(clients)) client.close();
      await resolver.close(1_000);
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type EventKindsEnv = Awaited<ReturnType<typeof startEventKindsEnv>>;

/** A token signed by the API's own dev key but for another audience: valid signature, wrong recipient. */
async function signWithApiKey(api: ApiHarness, audience: string): Promise<string> {
  const keys = await loadOrCreateDevJwtKeys(api.runtime.config.dataDir);
  return signDevToken(
    keys,
    { sub: 'alice', wid: WS, role: 'admin' },
    { issuer: api.runtime.config.jwt.issuer, audience },
  );
}
