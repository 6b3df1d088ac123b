import { errors as joseErrors, jwtVerify, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import type { Principal, RequestFacts, WorkspaceRole } from '../../core/auth/principal.js';
import { DomainError } from '../../protocol/domain-error.js';
import { DEV_JWT_ALGORITHM } from '../../core/auth/dev-jwt-keys.js';
import { createJwksKeySource, JwksUnavailableError } from '../../core/auth/jwks-key-source.js';

/** Algorithms accepted from a production JWKS; anything else (none, HS*) is refused. */
export const PRODUCTION_JWT_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'];
const ROLES: readonly WorkspaceRole[] = ['admin', 'member', 'external'];
/**
 * Longer tokens are refused before any decoding: real access tokens are well under
 * 2 KB, and a bloated header or payload would only cost base64 and JSON work.
 */
export const MAX_TOKEN_LENGTH = 8192;
/**
 * `typ` values of an access token (RFC 7519, RFC 9068), compared case-insensitively
 * without an `application/` prefix. A token typed as something else (an ID token's
 * sibling such as `logout+jwt`, a `dpop+jwt` proof) is signed by the same keys for a
 * different purpose and must not pass as a bearer token. An absent `typ` is allowed.
 */
const ACCESS_TOKEN_TYPES = new Set(['jwt', 'at+jwt']);

export type TokenVerifier = (token: string, facts: RequestFacts) => Promise<Principal>;

/**
 * Verifies bearer tokens with pinned algorithms, issuer and audience, a required `exp`
 * (jose does not require it unless told), a bounded age (`iat` required, no older than
 * `maxAgeSeconds` whatever `exp` says), a bounded length and an access-token `typ`
 * (exactly `typ` when the issuer is known to set one).
 * Every failure is UNAUTHENTICATED with a reason code safe to audit; neither the token
 * nor jose's error (which carries the decoded claims) travels with it.
 */
export function createTokenVerifier(options: {
  issuer: string;
  audience: string;
  /** Production: keys from the identity provider's JWKS. */
  jwksUrl?: string;
  /** Development: the local dev public key. */
  devPublicKey?: CryptoKey;
  /** Tokens issued longer ago than this are refused (default 24 h). */
  maxAgeSeconds?: number;
  /** The `typ` the issuer sets, required when given. */
  typ?: string;
}): TokenVerifier {
  const maxTokenAge = options.maxAgeSeconds ?? 24 * 3600;
  const requiredTyp = options.typ && normalizeTyp(options.typ);
  let key: CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createJwksKeySource(options.jwksUrl);
    algorithms = PRODUCTION_JWT_ALGORITHMS;
  } else if (options.devPublicKey) {
    key = options.devPublicKey;
    algorithms = [DEV_JWT_ALGORITHM];
  } else {
    throw new Error('a token verifier needs a JWKS URL or a dev public key');
  }

  return async (token, facts) => {
    if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated('TOKEN_TOO_LARGE');
    let payload;
    let protectedHeader;
    try {
      ({ payload, protectedHeader } = await jwtVerify(token, key as CryptoKey, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'iat', 'sub', 'wid'],
        maxTokenAge,
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw keysUnavailable(error);
      throw unauthenticated(reasonOf(error));
    }
    const typ = protectedHeader.typ === undefined ? undefined : normalizeTyp(protectedHeader.typ);
    if (requiredTyp ? typ !== requiredTyp : typ !== undefined && !ACCESS_TOKEN_TYPES.has(typ))
      throw unauthenticated('BAD_TYP');
    const { sub, wid, role, scope } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || sub === '' || sub.length > 128) throw unauthenticated('BAD_SUB');
    if (typeof wid !== 'string' || wid === '' || wid.length > 64) throw unauthenticated('BAD_WID');
    if (role !== undefined && !ROLES.includes(role as WorkspaceRole)) throw unauthenticated('BAD_ROLE');
    if (scope !== undefined && typeof scope !== 'string') throw unauthenticated('BAD_SCOPE');
    return {
      subject: sub,
      workspaceId: wid,
      role: role as WorkspaceRole | undefined,
      scopes: new Set((scope ?? '').split(' ').filter(Boolean)),
      requestId: facts.requestId,
      sourceAddress: facts.sourceAddress,
    };
  };
}

/** `typ` compared case-insensitively and without an `application/` prefix (RFC 7515 §4.1.9). */
const normalizeTyp = (typ: string): string => typ.toLowerCase().replace(/^application\//, '');

function reasonOf(error: unknown): string {
  // jose reports a token past the maximum age as expired too, on its `iat`.
  if (error instanceof joseErrors.JWTExpired)
    return error.claim === 'iat' ? 'TOKEN_TOO_OLD' : 'TOKEN_EXPIRED';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `CLAIM_${error.claim.toUpperCase()}`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'ALG_NOT_ALLOWED';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'BAD_SIGNATURE';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'UNKNOWN_KEY';
  if (error instanceof joseErrors.JOSEError) return error.code.replace(/^ERR_/, '').slice(0, 64);
  return 'INVALID_TOKEN';
}

/** Retryable: the token may be fine; the keys to check it are out of reach. */
const keysUnavailable = (cause: JwksUnavailableError): DomainError =>
  new DomainError('UNAVAILABLE', 'The token could not be checked right now; retry later.', {
    details: { reason: 'JWKS_UNAVAILABLE', retryable: true },
    cause,
  });

const unauthenticated = (reason: string): DomainError =>
  new DomainError('UNAUTHENTICATED', 'The bearer token is missing, invalid or expired.', {
    details: { reason },
  });
