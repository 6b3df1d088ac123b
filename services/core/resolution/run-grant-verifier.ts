import { hash } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { DomainError } from '../../protocol/domain-error.js';
import { isValidSecretName } from '../../protocol/secret-names.js';
import { TRIGGERS, type Trigger } from '../../protocol/vocabulary.js';
import { JwksUnavailableError } from '../auth/jwks-key-source.js';

/** The audience every run grant names: this resolver, and nothing else. */
export const RUN_GRANT_AUDIENCE = 'strongroom-resolver';

/** Algorithms a grant may be signed with; `none` and HMAC never. */
export const RUN_GRANT_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'];

/**
 * A grant living longer than this is refused, whatever its `exp`: a grant is for one
 * run, and one that could be replayed for days is a credential in all but name.
 */
export const MAX_RUN_GRANT_LIFETIME_SECONDS = 24 * 3600;

/** A grant is a few hundred bytes; anything far larger is refused before any decoding. */
const MAX_GRANT_LENGTH = 8192;

/** What the orchestrator signed for one run (SPEC §6.1). */
export interface RunGrant {
  /** `jti`: recorded with every resolve the grant allows. */
  grantId: string;
  workspaceId: string;
  workflowId: string;
  runId: string;
  trigger: Trigger;
  triggeredBy: string;
  workflowOwner: string;
  /** The runner identity the grant was issued to. */
  runner: string;
  /** The only names this run may resolve; undefined when the grant does not limit them. */
  names?: ReadonlySet<string>;
  /** `exp`, in milliseconds since the epoch. */
  expiresAt: number;
}

const id = (max: number) => z.string().max(max);

const claimsSchema = z.object({
  jti: z.string().min(1).max(128),
  exp: z.number(),
  iat: z.number().optional(),
  wid: id(64).min(1),
  wfid: id(128).default(''),
  run: id(128).min(1),
  trigger: z.enum(TRIGGERS as [Trigger, ...Trigger[]]),
  triggered_by: id(128).default(''),
  workflow_owner: id(128).default(''),
  runner: z.string().min(1).max(512),
  names: z.array(z.string().refine(isValidSecretName, 'not a secret name')).max(1000).optional(),
});

/** Why a grant was not accepted: a reason code safe to audit, never the grant itself. */
const refused = (reason: string, cause?: unknown): DomainError =>
  new DomainError('UNAUTHENTICATED', 'The run grant is missing, invalid or expired.', {
    details: { reason },
    cause,
  });

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'GRANT_EXPIRED';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'GRANT_WRONG_ISSUER';
    if (error.claim === 'aud') return 'GRANT_WRONG_AUDIENCE';
    return `GRANT_CLAIM_${error.claim.toUpperCase()}`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'GRANT_ALG_NOT_ALLOWED';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'GRANT_BAD_SIGNATURE';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'GRANT_UNKNOWN_KEY';
  return 'GRANT_MALFORMED';
}

/**
 * Verifies run grants against the orchestrator's keys with pinned algorithms, issuer
 * and audience, and `exp` and `jti` required. A run resolves many times with one grant,
 * so a verified grant is kept under its SHA-256 until it expires (at most `maxKept`
 * grants; the oldest go first): a run pays for one signature check. A grant the keys
 * cannot be fetched to check is UNAVAILABLE (retryable), not refused.
 */
export function createRunGrantVerifier({
  keys,
  issuer,
  maxKept = 10_000,
  clockToleranceSeconds = 5,
  now = () => Date.now(),
}: {
  /** The orchestrator's JWKS (production) or its one public key (development). */
  keys: JWTVerifyGetKey | CryptoKey;
  issuer: string;
  maxKept?: number;
  clockToleranceSeconds?: number;
  now?: () => number;
}) {
  // Map order is insertion order: the first entry is the oldest.
  const kept = new Map<string, RunGrant>();

  async function check(token: string): Promise<RunGrant> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys as CryptoKey, {
        algorithms: RUN_GRANT_ALGORITHMS,
        issuer,
        audience: RUN_GRANT_AUDIENCE,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: clockToleranceSeconds,
        currentDate: new Date(now()),
      }));
    } catch (error) {
      if (error instanceof JwksUnavailableError) {
        throw new DomainError('UNAVAILABLE', 'The run grant could not be checked right now; retry later.', {
          details: { reason: 'GRANT_KEYS_UNAVAILABLE', retryable: true },
          cause: error,
        });
      }
      throw refused(reasonOf(error));
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw refused(`GRANT_CLAIM_${String(claims.error.issues[0]?.path[0] ?? 'INVALID').toUpperCase()}`);
    }
    const c = claims.data;
    const issuedAt = c.iat ?? now() / 1000;
    if (c.exp - Math.min(issuedAt, now() / 1000) > MAX_RUN_GRANT_LIFETIME_SECONDS + clockToleranceSeconds) {
      throw refused('GRANT_LIFETIME_TOO_LONG');
    }
    return {
      grantId: c.jti,
      workspaceId: c.wid,
      workflowId: c.wfid,
      runId: c.run,
      trigger: c.trigger,
      triggeredBy: c.triggered_by,
      workflowOwner: c.workflow_owner,
      runner: c.runner,
      names: c.names && new Set(c.names),
      expiresAt: c.exp * 1000,
    };
  }

  function keep(key: string, grant: RunGrant): void {
    kept.set(key, grant);
    for (const [oldest] of kept) {
      if (kept.size <= maxKept) break;
      kept.delete(oldest);
    }
  }

  return {
    /** The grant `token` carries, verified now or kept from an earlier verification. */
    async verify(token: string): Promise<RunGrant> {
      if (token.length > MAX_GRANT_LENGTH) throw refused('GRANT_TOO_LARGE');
      const key = hash('sha256', token, 'base64');
      const known = kept.get(key);
      if (known) {
        if (known.expiresAt + clockToleranceSeconds * 1000 > now()) return known;
        kept.delete(key);
        throw refused('GRANT_EXPIRED');
      }
      const grant = await check(token);
      keep(key, grant);
      return grant;
    },

    /** How many verified grants are kept (tests and metrics). */
    size: () => kept.size,
  };
}

export type RunGrantVerifier = ReturnType<typeof createRunGrantVerifier>;
