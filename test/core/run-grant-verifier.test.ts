import { generateKeyPair, SignJWT } from 'jose';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRunGrantVerifier,
  RUN_GRANT_AUDIENCE,
} from '../../services/core/resolution/run-grant-verifier.js';
import { contextUnderGrant, namesOutsideGrant } from '../../services/core/resolution/run-grant-rules.js';

const ISSUER = 'https://orchestrator.test/';
const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

describe('run grant verifier (real keys, frozen clock)', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
  });
  const sign = (
    claims: Record<string, unknown>,
    { iat = T0 / 1000, exp = T0 / 1000 + 600, jti = 'j1' } = {},
  ) =>
    new SignJWT({
      wid: 'w',
      run: 'r',
      trigger: 'API',
      workflow_owner: 'o',
      runner: 'spiffe://x/r',
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(RUN_GRANT_AUDIENCE)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(keys.privateKey);

  it('keeps a verified grant only until it expires: a kept grant past its exp is refused', async () => {
    let now = T0;
    let lookups = 0;
    const verifier = createRunGrantVerifier({
      keys: async () => {
        lookups += 1;
        return keys.publicKey;
      },
      issuer: ISSUER,
      now: () => now,
    });
    const token = await sign({});
    await verifier.verify(token);
    await verifier.verify(token);
    expect(lookups).toBe(1);
    now = T0 + 601_000 + 5_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ details: { reason: 'GRANT_EXPIRED' } });
    expect(verifier.size()).toBe(0);
  });

  it('keeps at most maxKept grants, dropping the oldest', async () => {
    const verifier = createRunGrantVerifier({
      keys: keys.publicKey,
      issuer: ISSUER,
      maxKept: 3,
      now: () => T0,
    });
    for (let i = 0; i < 5; i += 1) await verifier.verify(await sign({}, { jti: `j${i}` }));
    expect(verifier.size()).toBe(3);
  });

  it('refuses a grant that lives longer than a day, and claims of the wrong shape', async () => {
    const verifier = createRunGrantVerifier({ keys: keys.publicKey, issuer: ISSUER, now: () => T0 });
    const reason = (token: Promise<string>) =>
      token
        .then((t) => verifier.verify(t))
        .then(
          () => 'OK',
          (e: { details: { reason: string } }) => e.details.reason,
        );
    expect(await reason(sign({}, { exp: T0 / 1000 + 2 * 86_400 }))).toBe('GRANT_LIFETIME_TOO_LONG');
    expect(await reason(sign({ trigger: 'CRON' }))).toBe('GRANT_CLAIM_TRIGGER');
    expect(await reason(sign({ names: ['ok', 'not a name'] }))).toBe('GRANT_CLAIM_NAMES');
    expect(await reason(sign({ runner: '' }))).toBe('GRANT_CLAIM_RUNNER');
    expect(await reason(sign({ names: ['A', 'b-2'] }))).toBe('OK');
  });
});

describe('grant rules (property)', () => {
  const grant = {
    grantId: 'g',
    workspaceId: 'w',
    workflowId: 'f',
    runId: 'r',
    trigger: 'SCHEDULE' as const,
    triggeredBy: '',
    workflowOwner: 'o',
    runner: 'x',
    expiresAt: 0,
  };
  const field = fc.constantFrom('workspaceId', 'workflowId', 'runId', 'triggeredBy', 'workflowOwner');

  it('any stated context field that differs from the grant is refused; empty fields take the grant', () => {
    fc.assert(
      fc.property(
        field,
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (name, value, step) => {
          const input = {
            workspaceId: '',
            workflowId: '',
            runId: '',
            trigger: 'UNSPECIFIED',
            triggeredBy: '',
            workflowOwner: '',
            stepId: step,
            [name]: value,
          };
          if (value === grant[name]) {
            expect(contextUnderGrant(grant, input)).toEqual({
              workspaceId: 'w',
              workflowId: 'f',
              runId: 'r',
              trigger: 'SCHEDULE',
              triggeredBy: '',
              workflowOwner: 'o',
              stepId: step,
            });
          } else {
            expect(() => contextUnderGrant(grant, input)).toThrow(/differs from the run grant/);
          }
        },
      ),
    );
  });

  it('names outside the grant are exactly those not listed; an unlimited grant allows all', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(name), fc.array(name), (allowed, asked) => {
        const limited = { ...grant, names: new Set(allowed) };
        expect(namesOutsideGrant(limited, asked)).toEqual(asked.filter((n) => !allowed.includes(n)));
        expect(namesOutsideGrant(grant, asked)).toEqual([]);
      }),
    );
  });
});
