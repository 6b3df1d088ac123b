import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../services/api/auth/token-verifier.js';

/** The age and `typ` rules of API tokens, with real keys (pure verification, no server). */
describe('token verifier: age and typ', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
  });
  const facts = { requestId: 'r', sourceAddress: '127.0.0.1' };
  const sign = (typ: string | undefined, iatSecondsAgo = 0) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ wid: 'ws1', role: 'member' })
      .setProtectedHeader(typ === undefined ? { alg: 'ES256' } : { alg: 'ES256', typ })
      .setSubject('alice')
      .setIssuer('iss')
      .setAudience('aud')
      .setIssuedAt(now - iatSecondsAgo)
      .setExpirationTime(now + 600)
      .sign(keys.privateKey);
  };
  const reasonOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'OK',
      (error: { code: string; details: { reason?: string } }) => `${error.code}:${error.details.reason}`,
    );

  it('with STRONGROOM_JWT_TYP set, only that typ passes: none, JWT and another are refused', async () => {
    const verify = createTokenVerifier({
      issuer: 'iss',
      audience: 'aud',
      devPublicKey: keys.publicKey,
      typ: 'at+jwt',
    });
    expect(await reasonOf(verify(await sign('at+jwt'), facts))).toBe('OK');
    expect(await reasonOf(verify(await sign('application/AT+JWT'), facts))).toBe('OK');
    expect(await reasonOf(verify(await sign(undefined), facts))).toBe('UNAUTHENTICATED:BAD_TYP');
    expect(await reasonOf(verify(await sign('JWT'), facts))).toBe('UNAUTHENTICATED:BAD_TYP');
  });

  it('without it, an access-token typ or none passes, anything else is refused', async () => {
    const verify = createTokenVerifier({ issuer: 'iss', audience: 'aud', devPublicKey: keys.publicKey });
    expect(await reasonOf(verify(await sign(undefined), facts))).toBe('OK');
    expect(await reasonOf(verify(await sign('JWT'), facts))).toBe('OK');
    expect(await reasonOf(verify(await sign('dpop+jwt'), facts))).toBe('UNAUTHENTICATED:BAD_TYP');
  });

  it('refuses a token older than the maximum age whatever its exp', async () => {
    const verify = createTokenVerifier({
      issuer: 'iss',
      audience: 'aud',
      devPublicKey: keys.publicKey,
      maxAgeSeconds: 3600,
    });
    expect(await reasonOf(verify(await sign('JWT', 3000), facts))).toBe('OK');
    expect(await reasonOf(verify(await sign('JWT', 4000), facts))).toBe('UNAUTHENTICATED:TOKEN_TOO_OLD');
  });
});
