import type { SigningKeyToRewrap, WebhookStore } from '../../storage/webhook-store.js';
import type { EnvelopeCipher } from '../crypto/envelope-cipher.js';
import type { RewrapSource } from '../crypto/rewrap-data-keys.js';
import { signingSecretContext } from './signing-secret.js';

/**
 * Webhook endpoints' signing secrets as `keys rewrap` moves them (SPEC §5.2, §7): sealed
 * like values, so their data keys follow the active master key too, and an old key can
 * be retired without rotating every endpoint's secret. Re-wrapped under the context the
 * secret was sealed to; swapped only if still wrapped by the key it was read with.
 */
export function signingKeySource(
  webhookStore: Pick<WebhookStore, 'listSigningKeysNotWrappedBy' | 'replaceSigningKeys'>,
  cipher: Pick<EnvelopeCipher, 'rewrap'>,
): RewrapSource<SigningKeyToRewrap> {
  return {
    name: 'webhook signing secrets',
    listNotWrappedBy: (keyId, after, limit) =>
      webhookStore.listSigningKeysNotWrappedBy(keyId, after ?? '', limit),
    rewrap: (row) => cipher.rewrap(row, signingSecretContext(row.workspaceId, row.id, row.secretVersion)),
    replaceWrappedKeys: (tx, expectedKeyId, keyId, rows) =>
      webhookStore.replaceSigningKeys(tx, expectedKeyId, keyId, rows),
  };
}
