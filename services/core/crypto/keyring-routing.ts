import { DomainError } from '../../protocol/domain-error.js';
import type { Keyring } from './keyring.js';

/**
 * The keyring of a process: `active` wraps every new data key; a data key is unwrapped
 * by the first of `active` and `readers` that owns its key id. Readers are how a
 * provider move keeps every value readable while `keys rewrap` runs: a previous file
 * keyring (STRONGROOM_MASTER_KEYS_FILE), another provider whose variables are set.
 */
export function createRoutingKeyring({
  active,
  readers,
}: {
  active: Keyring;
  readers: Keyring[];
}): Keyring & {
  /** Every keyring, the active one first: for readiness and `keys status`. */
  members: Keyring[];
} {
  if (readers.length === 0) return { ...active, members: [active] };
  const members = [active, ...readers];
  const ownerOf = (keyId: string): Keyring | undefined => members.find((k) => k.owns(keyId));
  return {
    provider: active.provider,
    members,
    activeKeyId: () => active.activeKeyId(),
    keyIds: () => members.flatMap((k) => k.keyIds()),
    owns: (keyId) => ownerOf(keyId) !== undefined,
    wrap: (dataKey, context) => active.wrap(dataKey, context),
    unwrap(wrapped, context) {
      const owner = ownerOf(wrapped.keyId);
      if (!owner) return Promise.reject(unownedKey(wrapped.keyId));
      return owner.unwrap(wrapped, context);
    },
    async check() {
      await Promise.all(members.map((k) => k.check()));
    },
    async close() {
      await Promise.allSettled(members.map((k) => k.close()));
    },
  };
}

/** A data key whose key id no configured keyring owns: say which variable would read it. */
export function unownedKey(keyId: string): DomainError {
  const hint = keyId.startsWith('pkcs11:')
    ? 'set the STRONGROOM_PKCS11_* variables'
    : keyId.startsWith('kms:')
      ? 'set STRONGROOM_AWS_KMS_KEY_ID and the AWS settings'
      : 'set STRONGROOM_MASTER_KEYS_FILE to the keyring file that holds it';
  return new DomainError(
    'INTERNAL',
    `Master key "${keyId}" is not in any configured keyring; ${hint} to decrypt.`,
    {
      details: { keyId },
    },
  );
}

/** The keyrings behind a process keyring (the active one first), or the keyring itself. */
export function keyringMembers(keyring: Keyring): Keyring[] {
  return (keyring as Partial<{ members: Keyring[] }>).members ?? [keyring];
}
