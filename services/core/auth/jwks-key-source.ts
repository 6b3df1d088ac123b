import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey } from 'jose';

/** The identity provider's key set could not be fetched or read: an outage, not a bad token. */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
}

/**
 * jose's remote JWKS, with its failures sorted: a `kid` the set does not hold is the
 * token's fault and stays a jose error; a set that cannot be fetched (refused, timed
 * out, not 200, not a JWKS) is the provider's and becomes JwksUnavailableError, so
 * that an outage is reported as retryable instead of logging every user out.
 */
export function createJwksKeySource(url: string): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (
        error instanceof joseErrors.JWKSNoMatchingKey ||
        error instanceof joseErrors.JWKSMultipleMatchingKeys ||
        error instanceof joseErrors.JOSENotSupported
      )
        throw error;
      throw new JwksUnavailableError('the JWKS could not be fetched', { cause: error });
    }
  };
}
