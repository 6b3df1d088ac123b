import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWTPayload,
} from 'jose';

/** What a legitimate issuer signs with: its private key, algorithm and key id. */
export interface Signer {
  alg: string;
  kid?: string;
  privateKey: CryptoKey;
  /** The public half the API trusts (used as an HMAC secret in the confusion attack). */
  publicKey: CryptoKey;
}

export interface Attack {
  name: string;
  /** The audit `reason` the API must record. */
  reason: string;
  token: string;
}

const CLAIMS = { wid: 'ws1', role: 'admin' };

/** A token shaped exactly like a valid one; each attack bends one part of it. */
function sign(
  key: CryptoKey | Uint8Array,
  header: { alg: string; kid?: string; typ?: string },
  options: {
    issuer: string;
    audience: string;
    claims?: JWTPayload;
    exp?: number | string | null;
    nbf?: number | string;
    /** When the token says it was issued (seconds); null leaves `iat` out. */
    iat?: number | null;
  },
): Promise<string> {
  const jwt = new SignJWT({ ...CLAIMS, ...options.claims })
    .setProtectedHeader({ typ: 'JWT', ...header })
    .setSubject('mallory')
    .setIssuer(options.issuer)
    .setAudience(options.audience);
  if (options.iat !== null) jwt.setIssuedAt(options.iat);
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? '10m');
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(key);
}

/**
 * Every attack of issue #7 on the bearer token, built with jose against `signer`
 * (what the API trusts). `unknownKid` is only meaningful where keys are looked up
 * by `kid` (a JWKS); a single pinned key has no kid to miss.
 */
export async function buildAttacks(
  signer: Signer,
  pinned: { issuer: string; audience: string },
  options: { jwks: boolean },
): Promise<{ valid: string; attacks: Attack[] }> {
  const { issuer, audience } = pinned;
  const header = { alg: signer.alg, kid: signer.kid };
  const valid = await sign(signer.privateKey, header, pinned);
  const [validHeader, validPayload, validSignature] = valid.split('.') as [string, string, string];
  const now = Math.floor(Date.now() / 1000);
  const stranger = await generateKeyPair(signer.alg, { extractable: true });
  const publicPem = new TextEncoder().encode(await exportSPKI(signer.publicKey));
  const publicJwkText = new TextEncoder().encode(JSON.stringify(await exportJWK(signer.publicKey)));

  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(validPayload))) as JWTPayload;
  const tampered = base64url.encode(JSON.stringify({ ...payload, wid: 'ws2', role: 'admin' }));

  const attacks: Attack[] = [
    {
      name: 'alg none (unsigned)',
      reason: 'ALG_NOT_ALLOWED',
      token: new UnsecuredJWT({ ...CLAIMS })
        .setSubject('mallory')
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime('10m')
        .encode(),
    },
    {
      name: 'HS256 with the public key (PEM) as the HMAC secret',
      reason: 'ALG_NOT_ALLOWED',
      token: await sign(publicPem, { alg: 'HS256', kid: signer.kid }, pinned),
    },
    {
      name: 'HS256 with the public JWK as the HMAC secret',
      reason: 'ALG_NOT_ALLOWED',
      token: await sign(publicJwkText, { alg: 'HS256', kid: signer.kid }, pinned),
    },
    {
      name: 'signed by a wrong key (same alg and kid)',
      reason: 'BAD_SIGNATURE',
      token: await sign(stranger.privateKey, header, pinned),
    },
    {
      name: 'expired',
      reason: 'TOKEN_EXPIRED',
      token: await sign(signer.privateKey, header, { ...pinned, exp: now - 60 }),
    },
    {
      name: 'not yet valid (nbf in the future)',
      reason: 'CLAIM_NBF',
      token: await sign(signer.privateKey, header, { ...pinned, nbf: now + 3600, exp: now + 7200 }),
    },
    {
      name: 'wrong issuer',
      reason: 'CLAIM_ISS',
      token: await sign(signer.privateKey, header, { issuer: 'https://evil.example', audience }),
    },
    {
      name: 'wrong audience',
      reason: 'CLAIM_AUD',
      token: await sign(signer.privateKey, header, { issuer, audience: 'some-other-api' }),
    },
    {
      name: 'no exp',
      reason: 'CLAIM_EXP',
      token: await sign(signer.privateKey, header, { ...pinned, exp: null }),
    },
    {
      name: 'issued 25 hours ago, unexpired (past the maximum token age)',
      reason: 'TOKEN_TOO_OLD',
      token: await sign(signer.privateKey, header, { ...pinned, iat: now - 25 * 3600, exp: now + 3600 }),
    },
    {
      name: 'no iat (its age cannot be bounded)',
      reason: 'CLAIM_IAT',
      token: await sign(signer.privateKey, header, { ...pinned, iat: null }),
    },
    {
      name: 'tampered payload with the original signature',
      reason: 'BAD_SIGNATURE',
      token: `${validHeader}.${tampered}.${validSignature}`,
    },
    { name: 'signature stripped', reason: 'BAD_SIGNATURE', token: `${validHeader}.${validPayload}.` },
    {
      name: 'truncated',
      reason: 'JWS_INVALID',
      token: valid.slice(0, valid.length - validSignature.length - 1),
    },
    { name: 'garbage', reason: 'JWS_INVALID', token: 'not-a-jwt-at-all' },
    { name: 'garbage segments', reason: 'JWS_INVALID', token: 'e30.e30.e30' },
    {
      name: 'wrong typ (a DPoP proof)',
      reason: 'BAD_TYP',
      token: await sign(signer.privateKey, { ...header, typ: 'dpop+jwt' }, pinned),
    },
    {
      name: 'huge token (10 KB, validly signed; under the HTTP header limit)',
      reason: 'TOKEN_TOO_LARGE',
      token: await sign(signer.privateKey, header, { ...pinned, claims: { pad: 'x'.repeat(7 * 1024) } }),
    },
  ];
  if (options.jwks) {
    attacks.push({
      name: 'kid not in the JWKS',
      reason: 'UNKNOWN_KEY',
      token: await sign(stranger.privateKey, { ...header, kid: 'no-such-kid' }, pinned),
    });
  }
  return { valid, attacks };
}
