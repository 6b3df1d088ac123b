import { randomBytes } from 'node:crypto';
import type { EnvelopeCipher, SealContext } from '../crypto/envelope-cipher.js';
import type { SealedValue } from '../../storage/sealed-value.js';

/** A fresh Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * What an endpoint's signing secret is sealed to, like a value (SPEC §5.2): its
 * workspace, the endpoint and the secret's version, under a scope no secret has, so a
 * sealed signing secret copied into a secret row (or the other way round) does not open.
 */
export const signingSecretContext = (
  workspaceId: string,
  endpointId: string,
  version: number,
): SealContext => ({
  workspaceId,
  secretId: `webhook-endpoint:${endpointId}`,
  version,
  scope: 'WEBHOOK',
  ownerId: '',
});

/** Seals a signing secret (the API does this; only the delivery worker opens it). */
export const sealSigningSecret = (
  cipher: Pick<EnvelopeCipher, 'seal'>,
  secret: string,
  workspaceId: string,
  endpointId: string,
  version: number,
): Promise<SealedValue> => cipher.seal(secret, signingSecretContext(workspaceId, endpointId, version));
