import { randomUUID } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRunGrantVerifier,
  RUN_GRANT_AUDIENCE,
  type RunGrantVerifier,
} from '../../services/core/resolution/run-grant-verifier.js';
import {
  Trigger,
  type RunContextSchema,
} from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import type { AuditEventRow } from '../../services/storage/entities/audit-event-entity.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { seedSecret } from '../support/seed-secret.js';
import { createResolverHarness, type ResolverHarness } from './support/resolver-harness.js';
import { createTestPki, RUNNER_ALPHA, RUNNER_BETA, type TestPki } from './support/test-pki.js';

/**
 * SPEC §6.1 over real mTLS with grants required: the platform's orchestrator signs whose
 * run it is, and nothing the runner says can widen that. Every refusal is audited.
 */
const ISSUER = 'https://orchestrator.test/';
const WS = 'ws-grants';

let pki: TestPki;
let orchestrator: { privateKey: CryptoKey; publicKey: CryptoKey };
let stranger: { privateKey: CryptoKey };
beforeAll(async () => {
  pki = await createTestPki();
  orchestrator = await generateKeyPair('ES256');
  stranger = await generateKeyPair('ES256');
});

interface GrantClaims {
  wid?: string;
  wfid?: string;
  run?: string;
  trigger?: string;
  triggered_by?: string;
  workflow_owner?: string;
  runner?: string;
  names?: string[];
}

/** A grant for run `run` of workflow wf-1, as the orchestrator signs it; `bend` changes one part. */
async function grant(
  claims: GrantClaims = {},
  bend: { key?: CryptoKey; audience?: string; issuer?: string; exp?: number; jti?: string | null } = {},
): Promise<string> {
  const jwt = new SignJWT({
    wid: WS,
    wfid: 'wf-1',
    run: 'run-1',
    trigger: 'MANUAL',
    triggered_by: 'u1',
    workflow_owner: 'owner-1',
    runner: RUNNER_ALPHA,
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setIssuer(bend.issuer ?? ISSUER)
    .setAudience(bend.audience ?? RUN_GRANT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(bend.exp ?? '10m');
  if (bend.jti !== null) jwt.setJti(bend.jti ?? randomUUID());
  return jwt.sign(bend.key ?? orchestrator.privateKey);
}

type Context = MessageInitShape<typeof RunContextSchema>;
/** The context a runner would send for the grant above; tests bend one field. */
const context = (fields: Partial<Context> = {}): Context => ({
  workspaceId: WS,
  workflowId: 'wf-1',
  runId: 'run-1',
  trigger: Trigger.MANUAL,
  triggeredBy: 'u1',
  workflowOwner: 'owner-1',
  stepId: 'step-7',
  ...fields,
});

describe.each(DATABASE_KINDS)('run grants required, over mTLS on %s', (kind) => {
  let h: ResolverHarness;
  let port: number;
  // Every signature check asks the key source once: counting it counts verifications.
  let keyLookups = 0;
  const values = {
    SHARED: 'shared-value-0123456789abcdef',
    TEAM: 'team-value-0123456789abcdef',
    GH_TOKEN: 'gh-token-of-u1-0123456789abcdef',
  };

  beforeAll(async () => {
    h = await createResolverHarness(kind, pki);
    const verifier: RunGrantVerifier = createRunGrantVerifier({
      keys: async () => {
        keyLookups += 1;
        return orchestrator.publicKey;
      },
      issuer: ISSUER,
    });
    ({ port } = await h.startServer({ runGrants: { mode: 'required', verifier } }));
    await seedSecret(h, { workspaceId: WS, name: 'SHARED', value: values.SHARED });
    // Restricted to u2; member lists are visible to everyone in the workspace.
    await seedSecret(h, { workspaceId: WS, name: 'TEAM', value: values.TEAM, members: ['u2'] });
    await seedSecret(h, {
      workspaceId: WS,
      name: 'GH_TOKEN',
      value: values.GH_TOKEN,
      scope: 'PERSONAL',
      ownerId: 'u1',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** One call as runner alpha (or `runner`); its error and the audit rows it wrote. */
  async function call(
    names: string[],
    request: { context?: Context; runGrant?: string },
    runner: 'alpha' | 'beta' = 'alpha',
  ): Promise<{ values?: string[]; error?: ServiceError; rows: AuditEventRow[] }> {
    const requestId = `rg-${randomUUID()}`;
    const client = h.client(port, runner === 'alpha' ? pki.runnerAlpha : pki.runnerBeta);
    const { response, error } = await client.resolve({ ...request, names }, { requestId });
    return { values: response?.secrets.map((s) => s.value), error, rows: await h.auditEvents(requestId) };
  }

  const noValueIn = (result: { error?: ServiceError; rows: AuditEventRow[] }) => {
    const text = JSON.stringify([result.error?.details, result.error?.metadata?.getMap(), result.rows]);
    for (const value of Object.values(values)) expect(text).not.toContain(value);
  };

  it('a valid grant resolves exactly what it allows, and the records say whose run it was', async () => {
    const runGrant = await grant({ names: ['SHARED', 'GH_TOKEN'] });
    const result = await call(['SHARED', 'GH_TOKEN'], { context: context(), runGrant });
    expect(result.error).toBeUndefined();
    expect(result.values).toEqual([values.SHARED, values.GH_TOKEN]);
    expect(
      result.rows.map((r) => [r.secretName, r.outcome, r.principal, r.triggeredBy, r.workflowOwner]),
    ).toEqual([
      ['SHARED', 'SUCCESS', 'u1', 'u1', 'owner-1'],
      ['GH_TOKEN', 'SUCCESS', 'u1', 'u1', 'owner-1'],
    ]);
    expect(new Set(result.rows.map((r) => r.stepId))).toEqual(new Set(['step-7']));
    expect(result.rows[0]!.grantId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes the context from the grant when the runner sends none (only the step is its own)', async () => {
    const result = await call(['SHARED'], { runGrant: await grant() });
    expect(result.values).toEqual([values.SHARED]);
    expect(result.rows[0]).toMatchObject({
      workspaceId: WS,
      runId: 'run-1',
      trigger: 'MANUAL',
      principal: 'u1',
    });
  });

  it('verifies a grant once, however many calls of its run carry it', async () => {
    const runGrant = await grant();
    const before = keyLookups;
    for (let i = 0; i < 3; i += 1)
      expect((await call(['SHARED'], { runGrant })).values).toEqual([values.SHARED]);
    expect(keyLookups - before).toBe(1);
    // Another grant of the same run is verified on its own.
    expect((await call(['SHARED'], { runGrant: await grant() })).values).toEqual([values.SHARED]);
    expect(keyLookups - before).toBe(2);
  });

  it.each([
    ['no grant', async () => undefined, 'NO_RUN_GRANT'],
    [
      'a forged grant (signed by another key)',
      () => grant({}, { key: stranger.privateKey }),
      'GRANT_BAD_SIGNATURE',
    ],
    ['an expired grant', () => grant({}, { exp: Math.floor(Date.now() / 1000) - 120 }), 'GRANT_EXPIRED'],
    ['a grant for another audience', () => grant({}, { audience: 'strongroom-api' }), 'GRANT_WRONG_AUDIENCE'],
    ['a grant of another issuer', () => grant({}, { issuer: 'https://evil.test/' }), 'GRANT_WRONG_ISSUER'],
    ['a grant without a jti', () => grant({}, { jti: null }), 'GRANT_CLAIM_JTI'],
    ['text that is no grant', async () => 'not.a.grant', 'GRANT_MALFORMED'],
  ])('refuses %s: UNAUTHENTICATED, audited, nothing sent', async (_label, make, reason) => {
    const runGrant = await make();
    const result = await call(['SHARED'], { context: context(), runGrant });
    expect(result.values).toBeUndefined();
    expect(result.error?.code).toBe(status.UNAUTHENTICATED);
    expect(result.rows.map((r) => [r.action, r.outcome, r.reason, r.runner])).toEqual([
      ['auth.denied', 'DENIED', reason, RUNNER_ALPHA],
    ]);
    noValueIn(result);
  });

  it.each([
    ['a grant issued to another runner', { runner: RUNNER_BETA }, context(), 'GRANT_FOR_ANOTHER_RUNNER'],
    ['another run', {}, context({ runId: 'run-2' }), 'CONTEXT_DIFFERS_FROM_GRANT'],
    ['another workspace', {}, context({ workspaceId: 'ws-other' }), 'CONTEXT_DIFFERS_FROM_GRANT'],
    [
      'a context that names another trigger',
      {},
      context({ trigger: Trigger.SCHEDULE }),
      'CONTEXT_DIFFERS_FROM_GRANT',
    ],
    [
      'a context that claims another triggering user',
      {},
      context({ triggeredBy: 'u2' }),
      'CONTEXT_DIFFERS_FROM_GRANT',
    ],
    [
      'a context that claims another workflow owner',
      {},
      context({ workflowOwner: 'u1x' }),
      'CONTEXT_DIFFERS_FROM_GRANT',
    ],
  ])('refuses %s: PERMISSION_DENIED, audited, nothing sent', async (_label, claims, ctx, reason) => {
    const result = await call(['SHARED'], { context: ctx, runGrant: await grant(claims) });
    expect(result.values).toBeUndefined();
    expect(result.error?.code).toBe(status.PERMISSION_DENIED);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ action: 'secret.resolve', outcome: 'DENIED', reason });
    expect(result.rows[0]!.grantId).not.toBe('');
    noValueIn(result);
  });

  it('refuses a name outside the grant, naming it, and sends none of the others', async () => {
    const result = await call(['SHARED', 'TEAM'], {
      context: context(),
      runGrant: await grant({ names: ['SHARED'] }),
    });
    expect(result.values).toBeUndefined();
    expect(result.error?.code).toBe(status.PERMISSION_DENIED);
    expect(result.error?.details).toContain('TEAM');
    expect(result.rows.map((r) => [r.secretName, r.outcome, r.reason])).toEqual([
      ['SHARED', 'ERROR', 'NOT_SENT: call refused PERMISSION_DENIED'],
      ['TEAM', 'DENIED', 'NAME_NOT_IN_GRANT'],
    ]);
    noValueIn(result);
  });

  it("the issue's bypasses yield nothing: a claimed member, a claimed owner", async () => {
    // triggered_by=u2 to reach u2's restricted secret: the grant says u1.
    const claimed = await call(['TEAM'], {
      context: context({ triggeredBy: 'u2' }),
      runGrant: await grant(),
    });
    expect(claimed.values).toBeUndefined();
    expect(claimed.error?.code).toBe(status.PERMISSION_DENIED);
    // The grant's own principal, u1, is not a member: denied, no fallback.
    const asGranted = await call(['TEAM'], { runGrant: await grant() });
    expect(asGranted.values).toBeUndefined();
    expect(asGranted.rows[0]).toMatchObject({
      outcome: 'DENIED',
      reason: 'RESTRICTED_NOT_MEMBER',
      principal: 'u1',
    });
    // A SCHEDULE run owned by someone else cannot reach u1's personal GH_TOKEN by claiming u1.
    const scheduled = await grant({ trigger: 'SCHEDULE', workflow_owner: 'owner-1' });
    const owner = await call(['GH_TOKEN'], {
      context: context({ trigger: Trigger.SCHEDULE, workflowOwner: 'u1' }),
      runGrant: scheduled,
    });
    expect(owner.values).toBeUndefined();
    expect(owner.error?.code).toBe(status.PERMISSION_DENIED);
    const asOwned = await call(['GH_TOKEN'], { runGrant: scheduled });
    expect(asOwned.error?.code).toBe(status.NOT_FOUND);
    expect(asOwned.rows[0]).toMatchObject({ outcome: 'NOT_FOUND', principal: 'owner-1' });
    for (const result of [claimed, asGranted, owner, asOwned]) noValueIn(result);
  });

  it('a grant that allows a member reaches the restricted secret', async () => {
    const result = await call(['TEAM'], { runGrant: await grant({ triggered_by: 'u2' }) });
    expect(result.values).toEqual([values.TEAM]);
  });
});

describe('run grants optional (development)', () => {
  let h: ResolverHarness;
  let port: number;
  beforeAll(async () => {
    h = await createResolverHarness('sqlite', pki);
    ({ port } = await h.startServer({
      runGrants: {
        mode: 'optional',
        verifier: createRunGrantVerifier({ keys: orchestrator.publicKey, issuer: ISSUER }),
      },
    }));
    await seedSecret(h, { workspaceId: WS, name: 'SHARED', value: 'dev-shared-value' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes a call without a grant at its word, and still checks a grant that is sent', async () => {
    const client = h.client(port);
    const plain = await client.resolve({ context: context(), names: ['SHARED'] });
    expect(plain.response?.secrets.map((s) => s.value)).toEqual(['dev-shared-value']);
    const forged = await client.resolve({
      context: context(),
      names: ['SHARED'],
      runGrant: await grant({}, { key: stranger.privateKey }),
    });
    expect(forged.error?.code).toBe(status.UNAUTHENTICATED);
  });
});
