import type { FailedAuthentications } from '../core/auth/failed-authentications.js';
import type { Principal, RequestFacts } from '../core/auth/principal.js';
import type { ObservedOperation } from './operation-observer.js';
import { DomainError } from '../protocol/domain-error.js';
import { toDomainError } from '../core/errors/to-domain-error.js';
import type { Logger } from '../core/logging/logger.js';
import type { ReferenceCheck } from '../core/secrets/reference-check.js';
import type { SecretService } from '../core/secrets/secret-service.js';
import type { SecretMemberService } from '../core/secrets/secret-member-service.js';
import type { SystemSecretService } from '../core/secrets/system-secret-service.js';
import type { ImportResult, ImportSecretsRequest } from '../core/secrets/secret-import-service.js';
import type { Trigger } from '../protocol/vocabulary.js';
import type { AuditEventView, AuditFilter } from '../core/audit/audit-query-types.js';
import type { TokenVerifier } from './auth/token-verifier.js';

/** The domain operations the GraphQL layer calls; resolvers decide nothing themselves. */
export interface ApiServices {
  secrets: SecretService;
  members: SecretMemberService;
  systemSecrets: SystemSecretService;
  imports: {
    importSecrets(p: Principal, input: ImportSecretsRequest): Promise<ImportResult>;
  };
  references: {
    checkSecretReferences(
      p: Principal,
      names: string[],
      runAs: { trigger: Trigger; userId: string },
    ): Promise<ReferenceCheck>;
  };
  audit: {
    listEvents(
      p: Principal,
      filter: AuditFilter | null | undefined,
      first?: number | null,
      after?: string | null,
    ): Promise<{ items: Array<{ cursor: string; node: AuditEventView }>; hasNextPage: boolean }>;
    verify(p: Principal): Promise<{ ok: boolean; checked: number; firstBrokenId: string | null }>;
  };
}

/** Per-request context: request facts, the services, and the caller once authenticated. */
export interface GraphQLContext {
  facts: RequestFacts;
  services: ApiServices;
  /** The request's logger: every line it writes carries the request id. */
  log: Logger;
  /** What the request turned out to be, for its log line and metrics (operation-observer.ts). */
  observed: ObservedOperation;
  /**
   * The verified caller; UNAUTHENTICATED (recorded once per request) without a valid
   * token, or RATE_LIMITED once its source has failed too often in the interval.
   */
  principal(): Promise<Principal>;
}

/**
 * Builds the context of one request. Verification is lazy and memoised so a request
 * is verified (and a failure recorded) once however many fields it resolves. A valid
 * token is always let through, even from a source that is over its limit: the limit
 * costs a flood its answers, not the users who share its address.
 */
export function createContextFactory({
  services,
  verifyToken,
  failedAuthentications,
}: {
  services: ApiServices;
  verifyToken: TokenVerifier;
  failedAuthentications: Pick<FailedAuthentications, 'record'>;
}) {
  return (
    authorization: string | undefined,
    facts: RequestFacts,
    log: Logger,
    observed: ObservedOperation = {},
  ): GraphQLContext => {
    let verified: Promise<Principal> | undefined;
    const authenticate = async (): Promise<Principal> => {
      const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization ?? '');
      try {
        if (!match) {
          throw new DomainError('UNAUTHENTICATED', 'A bearer token is required.', {
            details: { reason: authorization ? 'MALFORMED_HEADER' : 'NO_TOKEN' },
          });
        }
        return await verifyToken(match[1]!, facts);
      } catch (error) {
        const denied = toDomainError(error);
        const reason = String(denied.details.reason ?? denied.code);
        log.info({ reason }, 'authentication denied');
        const verdict = await failedAuthentications.record({
          sourceAddress: facts.sourceAddress,
          reason,
          requestId: facts.requestId,
        });
        if (!verdict.limited) throw denied;
        observed.retryAfterSeconds = verdict.retryAfterSeconds;
        throw new DomainError(
          'RATE_LIMITED',
          'Too many failed authentications from this address; retry later.',
          {
            details: { retryAfterSeconds: verdict.retryAfterSeconds },
          },
        );
      }
    };
    return {
      facts,
      services,
      log,
      observed,
      principal: () => (verified ??= authenticate()),
    };
  };
}
