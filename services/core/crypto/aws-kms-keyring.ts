import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import { DomainError } from '../../protocol/domain-error.js';
import { createCachedCheck } from './cached-check.js';
import { kmsEncryptionContext } from './key-context.js';
import { keyringUnavailable } from './keyring-errors.js';
import { decryptFailure, type Keyring } from './keyring.js';

export interface AwsKmsKeyringOptions {
  /** The key new data keys are wrapped with: a key id or key ARN (never an alias). */
  keyId: string;
  /**
   * Overrides of the SDK client's settings (tests point `endpoint` at the emulator).
   * Left out, region, endpoint (AWS_ENDPOINT_URL_KMS) and credentials come from the
   * AWS SDK's own chain, as operators configure it for any AWS client.
   */
  clientConfig?: KMSClientConfig;
  /** The whole budget of one call, retries included. */
  callTimeoutMs?: number;
  checkTtlMs?: number;
}

export const kmsKeyId = (keyId: string): string => `kms:${keyId}`;
const keyOf = (keyId: string): string | undefined => (keyId.startsWith('kms:') ? keyId.slice(4) : undefined);

/**
 * Errors that mean the value, not the service: the ciphertext or its encryption
 * context does not match. Everything else (throttling, timeouts, access denied, a
 * disabled key) is the provider being unable to serve right now.
 */
const VALUE_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/**
 * Master keys in AWS KMS (SPEC §7). A data key is sent to KMS Encrypt under the key
 * context as encryption context (purpose, workspace, secret, version — each one an
 * IAM condition key), and to Decrypt under the same context and key id; the stored
 * form is KMS's ciphertext blob, the key id `kms:<key id>`. Any `kms:` key id is
 * unwrapped by asking KMS for that key, so a move from one KMS key to another needs
 * only the new key configured. Calls are bounded: two seconds a try, three tries,
 * four seconds in all.
 */
export async function createAwsKmsKeyring(options: AwsKmsKeyringOptions): Promise<Keyring> {
  const { KMSClient, EncryptCommand, DecryptCommand, DescribeKeyCommand } =
    await import('@aws-sdk/client-kms');
  const callTimeoutMs = options.callTimeoutMs ?? 4_000;
  const client: KMSClient = new KMSClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
    ...options.clientConfig,
  });

  function failure(error: unknown, what: string): DomainError {
    const name = (error as { name?: unknown })?.name;
    if (typeof name === 'string' && VALUE_ERRORS.has(name)) return decryptFailure(error);
    const code = typeof name === 'string' && name !== 'Error' ? name : 'no answer';
    const why =
      name === 'AccessDeniedException'
        ? `KMS denied ${what} on this key to this process's credentials (AccessDeniedException)`
        : `KMS did not ${what} (${code})`;
    return keyringUnavailable('aws-kms', why, error);
  }

  /** One KMS call within the budget, its failure sorted (value or provider). */
  const call = <T>(what: string, send: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> =>
    send({ abortSignal: AbortSignal.timeout(callTimeoutMs) }).catch((error: unknown) => {
      throw failure(error, what);
    });

  const check = createCachedCheck(async () => {
    const { KeyMetadata } = await call('describe the key', (o) =>
      client.send(new DescribeKeyCommand({ KeyId: options.keyId }), o),
    );
    if (KeyMetadata?.KeyState !== 'Enabled') {
      throw keyringUnavailable('aws-kms', `the KMS key is ${KeyMetadata?.KeyState ?? 'in an unknown state'}`);
    }
    if (KeyMetadata.KeyUsage !== 'ENCRYPT_DECRYPT') {
      throw keyringUnavailable('aws-kms', 'the KMS key is not a symmetric ENCRYPT_DECRYPT key');
    }
  }, options.checkTtlMs ?? 1_000);

  return {
    provider: 'aws-kms',
    activeKeyId: () => kmsKeyId(options.keyId),
    keyIds: () => [kmsKeyId(options.keyId)],
    owns: (keyId) => keyOf(keyId) !== undefined,

    async wrap(dataKey, context) {
      const { CiphertextBlob } = await call('encrypt', (o) =>
        client.send(
          new EncryptCommand({
            KeyId: options.keyId,
            Plaintext: dataKey,
            EncryptionContext: kmsEncryptionContext(context),
          }),
          o,
        ),
      );
      if (!CiphertextBlob) throw keyringUnavailable('aws-kms', 'KMS Encrypt returned no ciphertext');
      return { keyId: kmsKeyId(options.keyId), wrappedKey: Buffer.from(CiphertextBlob) };
    },

    async unwrap({ keyId, wrappedKey }, context) {
      const key = keyOf(keyId);
      if (key === undefined) throw new DomainError('INTERNAL', `Master key "${keyId}" is not a KMS key.`);
      const { Plaintext } = await call('decrypt', (o) =>
        client.send(
          new DecryptCommand({
            KeyId: key,
            CiphertextBlob: wrappedKey,
            EncryptionContext: kmsEncryptionContext(context),
          }),
          o,
        ),
      );
      if (!Plaintext) throw keyringUnavailable('aws-kms', 'KMS Decrypt returned no plaintext');
      const copy = Buffer.from(Plaintext);
      Plaintext.fill(0);
      return copy;
    },

    check,

    async close() {
      client.destroy();
    },
  };
}
