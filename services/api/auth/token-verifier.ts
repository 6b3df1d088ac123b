import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import type { Principal, RequestFacts, WorkspaceRole } from '../../core/auth/principal.js';
import { DomainError } from '../../core/errors/domain-error.js';
import { DEV_JWT_ALGORITHM } from './dev-jwt-keys.js';

/** Algorithms accepted from a production JWKS; anything else (none, HS*) is refused. */
export const PRODUCTION_JWT_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'];
const ROLES: readonly WorkspaceRole[] = ['admin', 'member', 'external'];

export type TokenVerifier = (token: string, facts: RequestFacts) => Promise<Principal>;

/**
 * Verifies bearer tokens with pinned algorithms, issuer and audience, and a required
 * `exp` (jose does not require it unless told). Every failure is UNAUTHENTICATED with
 * a reason code safe to audit; the token itself is never echoed.
 */
export function createTokenVerifier(options: {
  issuer: string;
  audience: string;
  /** Production: keys from the identity provider's JWKS. */
  jwksUrl?: string;
  /** Development: the local dev public key. */
  devPublicKey?: CryptoKey;
}): TokenVerifier {
  let key: CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    algorithms = PRODUCTION_JWT_ALGORITHMS;
  } else if (options.devPublicKey) {
    key = options.devPublicKey;
    algorithms = [DEV_JWT_ALGORITHM];
  } else {
    throw new Error('a token verifier needs a JWKS URL or a dev public key');
  }

  return async (token, facts) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key as CryptoKey, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'sub', 'wid'],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw unauthenticated(reasonOf(error), error);
    }
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

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'TOKEN_EXPIRED';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `CLAIM_${error.claim.toUpperCase()}`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'ALG_NOT_ALLOWED';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'BAD_SIGNATURE';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'UNKNOWN_KEY';
  if (error instanceof joseErrors.JOSEError) return error.code.replace(/^ERR_/, '').slice(0, 64);
  return 'INVALID_TOKEN';
}

const unauthenticated = (reason: string, cause?: unknown): DomainError =>
  new DomainError('UNAUTHENTICATED', 'The bearer token is missing, invalid or expired.', {
    details: { reason },
    cause,
  });
