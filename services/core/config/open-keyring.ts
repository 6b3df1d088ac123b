import { existsSync, readFileSync } from 'node:fs';
import { createAwsKmsKeyring } from '../crypto/aws-kms-keyring.js';
import { createRoutingKeyring } from '../crypto/keyring-routing.js';
import type { Keyring } from '../crypto/keyring.js';
import { createPkcs11Keyring } from '../crypto/pkcs11/pkcs11-keyring.js';
import type { Config } from './config.js';
import type { Pkcs11Config } from './keyring-config.js';
import { loadKeyring } from './load-keyring.js';

/** The keyring of a process: the one that wraps, and every other one it may unwrap with. */
export type ProcessKeyring = ReturnType<typeof createRoutingKeyring>;

/** A PIN file's content without the line end an editor or `echo` adds. */
const pinReader = (pin: Pkcs11Config['pin']): (() => string) =>
  pin.kind === 'env' ? () => pin.value : () => readFileSync(pin.path, 'utf8').replace(/\r?\n$/, '');

const pkcs11Keyring = (pkcs11: Pkcs11Config) =>
  createPkcs11Keyring({
    libraryPath: pkcs11.libraryPath,
    tokenLabel: pkcs11.tokenLabel,
    keyLabel: pkcs11.keyLabel,
    sessions: pkcs11.sessions,
    readPin: pinReader(pkcs11.pin),
  });

/**
 * Opens the provider STRONGROOM_KEYRING names, plus, for unwrapping only, every other
 * provider whose variables are set: that is how `keys rewrap` moves data keys between
 * providers while the services keep serving. A development data dir's keyring file is
 * read when it exists, never created unless `file` is the provider. An HSM or KMS that
 * does not answer yet does not stop the process: readiness says so until it does.
 */
export async function openKeyring(
  config: Pick<Config, 'masterKeys' | 'keyring'>,
  onCreated: (path: string) => void = () => {},
): Promise<ProcessKeyring> {
  const { provider, pkcs11, awsKms } = config.keyring;
  const opened: Keyring[] = [];
  try {
    const fileKeyring = (): Keyring | undefined => {
      const source = config.masterKeys;
      if (provider === 'file') return loadKeyring(config, onCreated);
      if (source.kind === 'none' || (source.kind === 'dev-file' && !existsSync(source.path)))
        return undefined;
      return loadKeyring(config);
    };
    const file = fileKeyring();
    if (file) opened.push(file);
    if (pkcs11) opened.push(pkcs11Keyring(pkcs11));
    if (awsKms) opened.push(await createAwsKmsKeyring({ keyId: awsKms.keyId }));
    const active = opened.find((k) => k.provider === provider);
    if (!active) throw new Error(`STRONGROOM_KEYRING=${provider} is not configured`);
    const keyring = createRoutingKeyring({ active, readers: opened.filter((k) => k !== active) });
    // Learns the active key (a PKCS#11 token's newest label) now; a failure is for readiness to report.
    await keyring.check().catch(() => undefined);
    return keyring;
  } catch (error) {
    await Promise.allSettled(opened.map((k) => k.close()));
    throw error;
  }
}
