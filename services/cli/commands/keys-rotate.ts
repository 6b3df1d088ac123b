import { ensureKeyringFile, generateMasterKey, rotateKeyringFile } from '../../core/crypto/keyring-file.js';
import { keyringMembers } from '../../core/crypto/keyring-routing.js';
import type { Pkcs11Keyring } from '../../core/crypto/pkcs11/pkcs11-keyring.js';
import { openKeyring } from '../../core/config/open-keyring.js';
import type { CommandContext } from '../command.js';

/**
 * `strongroom keys rotate`: a new active master key for the configured provider.
 * - file: a new key in the keyring file (running services pick it up within a second);
 *   from STRONGROOM_MASTER_KEYS, the entry to append is printed instead.
 * - pkcs11: the family's next key generated inside the token, non-extractable; the
 *   token's newest label is the active key, so services pick it up within seconds.
 * - aws-kms: KMS keys are made in AWS, not by a service; what to do is printed.
 */
export async function rotateKeys(context: CommandContext): Promise<number> {
  switch (context.config.keyring.provider) {
    case 'file':
      return rotateFile(context);
    case 'pkcs11':
      return rotatePkcs11(context);
    case 'aws-kms':
      return explainKmsRotation(context);
  }
}

function rotateFile({ config, out, err }: CommandContext): number {
  const source = config.masterKeys;
  if (source.kind === 'env') {
    const key = generateMasterKey();
    err('STRONGROOM_MASTER_KEYS comes from the environment, which this command cannot change.');
    err(
      'Append this entry to it (the last key is the active one), restart the services, then run `keys rewrap`:',
    );
    out(`,${key.id}:${key.key.toString('base64')}`);
    return 1;
  }
  if (source.kind === 'none') {
    err('no keyring file is configured (STRONGROOM_MASTER_KEYS_FILE)');
    return 1;
  }
  if (source.kind === 'dev-file') ensureKeyringFile(source.path);
  const key = rotateKeyringFile(source.path);
  out(`added master key ${key.id} to ${source.path}; it is now the active key`);
  out(
    'running services pick it up within a second; run `strongroom keys rewrap` to re-wrap existing data keys',
  );
  return 0;
}

async function rotatePkcs11({ config, out, err }: CommandContext): Promise<number> {
  const keyring = await openKeyring(config);
  try {
    const pkcs11 = keyringMembers(keyring).find((k) => k.provider === 'pkcs11') as Pkcs11Keyring;
    const key = await pkcs11.rotate();
    out(
      `generated master key ${key.keyId} in token "${config.keyring.pkcs11!.tokenLabel}" ` +
        `(AES-256, sensitive, never extractable); it is now the active key`,
    );
    out(
      'running services pick it up within a few seconds; run `strongroom keys rewrap` to re-wrap existing data keys',
    );
    return 0;
  } catch (error) {
    err(`keys rotate: ${(error as Error).message}`);
    return 1;
  } finally {
    await keyring.close();
  }
}

function explainKmsRotation({ config, err }: CommandContext): number {
  const current = config.keyring.awsKms!.keyId;
  for (const line of [
    `The active KMS key is ${current}. Strongroom does not create KMS keys: its roles have no kms:CreateKey.`,
    'Either let KMS rotate the key material under the same key id (no rewrap needed):',
    `  aws kms enable-key-rotation --key-id ${current}`,
    'or move to another key (a compromised key, another account or region):',
    '  1. create a symmetric key: aws kms create-key --key-spec SYMMETRIC_DEFAULT --key-usage ENCRYPT_DECRYPT',
    '  2. grant the API and the resolver their actions on it (deploy/aws-kms/), keep the old key enabled',
    '  3. set STRONGROOM_AWS_KMS_KEY_ID to the new key id and roll out the services',
    '  4. run `strongroom keys rewrap`, then `strongroom keys status` until the old key wraps nothing',
  ]) {
    err(line);
  }
  return 1;
}
