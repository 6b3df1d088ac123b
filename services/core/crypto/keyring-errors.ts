import { DomainError } from '../../protocol/domain-error.js';
import type { KeyringProvider } from './keyring.js';

/** The `reason` of every error meaning "the key provider cannot serve right now". */
export const KEYRING_UNAVAILABLE = 'KEYRING_UNAVAILABLE';

/**
 * The provider cannot wrap or unwrap right now (HSM unreachable, PIN refused, KMS
 * timing out): UNAVAILABLE and retryable, so the resolver answers gRPC UNAVAILABLE
 * and the API a retryable error. `why` names the condition, never key material.
 */
export function keyringUnavailable(provider: KeyringProvider, why: string, cause?: unknown): DomainError {
  return new DomainError('UNAVAILABLE', `The key provider (${provider}) is unavailable: ${why}`, {
    details: { retryable: true, reason: KEYRING_UNAVAILABLE, provider },
    cause,
  });
}

/** True when `error` says a key provider could not serve (as opposed to a damaged value). */
export function isKeyringUnavailable(error: unknown): boolean {
  return error instanceof DomainError && error.details.reason === KEYRING_UNAVAILABLE;
}
