import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { DomainError } from '../../protocol/domain-error.js';
import type { IntegrityRootRow } from '../../storage/entities/integrity-root-entity.js';
import type { IntegrityStore } from '../../storage/integrity-store.js';
import { isStorageError, StorageError } from '../../storage/storage-errors.js';
import { INTEGRITY_ROOT_CONTEXT } from '../crypto/key-context.js';
import type { Keyring } from '../crypto/keyring.js';
import { isKeyringUnavailable } from '../crypto/keyring-errors.js';

/**
 * The keys of SPEC §8.1, none of them in the database: an HMAC key that authenticates
 * each secret's access-deciding state, and an Ed25519 key pair that signs audit
 * checkpoints. Both derive (HKDF-SHA256) from one 32-byte integrity root, which is kept
 * in the database only sealed by the keyring — so they live wherever the master keys do
 * (a key file, an HSM, a KMS) and a database writer can neither read nor replace them.
 */
export interface IntegrityKeys {
  stateKey: KeyObject;
  signingKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as `strongroom audit public-key` prints it (base64url of the raw 32 bytes). */
  publicKeyText: string;
}

const ROOT_BYTES = 32;
/** PKCS#8 prefix of a raw 32-byte Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The keys a root derives; the same root always gives the same keys. */
export function deriveIntegrityKeys(root: Buffer): IntegrityKeys {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), purpose, 32));
  const seed = derive('strongroom/audit-signing/v1');
  const signingKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  seed.fill(0);
  const publicKey = createPublicKey(signingKey);
  const stateBytes = derive('strongroom/secret-state/v1');
  const stateKey = createSecretKey(stateBytes);
  stateBytes.fill(0);
  return { stateKey, signingKey, publicKey, publicKeyText: publicKeyText(publicKey) };
}

/** An Ed25519 public key as base64url of its raw 32 bytes. */
export function publicKeyText(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32)).toString('base64url');
}

/** An Ed25519 public key from its base64url text (what `audit public-key` printed). */
export function publicKeyFromText(text: string): KeyObject {
  const raw = Buffer.from(text.trim(), 'base64url');
  if (raw.length !== 32) throw new Error('an audit public key is 32 bytes, base64url');
  return createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
    format: 'der',
    type: 'spki',
  });
}

/**
 * Opens the integrity keys: unseals the stored root with the keyring, or — the first
 * time, before any checkpoint exists — makes one, seals it and stores it. A database
 * that has checkpoints but no root was tampered with (or restored without it): nothing
 * is created then, since a new root would sign a history nobody checked.
 */
export async function openIntegrityKeys({
  keyring,
  integrityStore,
}: {
  keyring: Pick<Keyring, 'wrap' | 'unwrap'>;
  integrityStore: Pick<IntegrityStore, 'findRoot' | 'insertRoot' | 'hasCheckpoints'>;
}): Promise<IntegrityKeys> {
  let stored = await integrityStore.findRoot();
  if (!stored) {
    if (await integrityStore.hasCheckpoints()) {
      throw new DomainError(
        'INTERNAL',
        'The integrity root is missing but audit checkpoints exist: the database was altered or restored without it.',
      );
    }
    const root = randomBytes(ROOT_BYTES);
    try {
      const { keyId, wrappedKey } = await keyring.wrap(root, INTEGRITY_ROOT_CONTEXT);
      await integrityStore.insertRoot({
        keyId,
        wrappedRoot: wrappedKey,
        publicKey: deriveIntegrityKeys(root).publicKeyText,
        createdAt: new Date(),
      });
    } catch (error) {
      // Another process's first start stored one meanwhile: use that one.
      if (!isStorageError(error, 'unique-violation')) throw error;
    } finally {
      root.fill(0);
    }
    stored = await integrityStore.findRoot();
    if (!stored) throw new DomainError('INTERNAL', 'The integrity root could not be stored.');
  }
  return unsealIntegrityKeys(keyring, stored);
}

/** The keys of a stored root, unsealed by the keyring; nothing is created. */
async function unsealIntegrityKeys(
  keyring: Pick<Keyring, 'unwrap'>,
  stored: Pick<IntegrityRootRow, 'keyId' | 'wrappedRoot'>,
): Promise<IntegrityKeys> {
  const root = await keyring.unwrap(
    { keyId: stored.keyId, wrappedKey: stored.wrappedRoot },
    INTEGRITY_ROOT_CONTEXT,
  );
  try {
    return deriveIntegrityKeys(root);
  } finally {
    root.fill(0);
  }
}

/**
 * The integrity keys if the database has a root, else null: what a reader such as
 * `audit verify` uses, which must never create a root (that would vouch for a history
 * nobody checked).
 */
export async function readIntegrityKeys({
  keyring,
  integrityStore,
}: {
  keyring: Pick<Keyring, 'unwrap'>;
  integrityStore: Pick<IntegrityStore, 'findRoot'>;
}): Promise<IntegrityKeys | null> {
  const stored = await integrityStore.findRoot();
  return stored ? unsealIntegrityKeys(keyring, stored) : null;
}

/** The integrity keys, opened when first asked for (and again after a failure), then kept. */
export interface IntegrityKeySource {
  keys(): Promise<IntegrityKeys>;
}

/**
 * Opens the integrity keys on first use rather than at start: a process whose key
 * provider does not answer yet (an HSM with a wrong PIN, a KMS out of reach) starts,
 * reports itself unready, and opens them once the provider answers. A failure is not
 * kept; the next caller tries again.
 */
export function createIntegrityKeySource(deps: Parameters<typeof openIntegrityKeys>[0]): IntegrityKeySource {
  let opened: Promise<IntegrityKeys> | undefined;
  return {
    keys() {
      opened ??= openIntegrityKeys(deps).catch((error: unknown) => {
        opened = undefined;
        // A provider out of reach stays retryable as it is; anything else is a keyring
        // that is not the one this database's root was sealed with.
        if (isKeyringUnavailable(error) || error instanceof StorageError || error instanceof DomainError)
          throw error;
        throw new DomainError(
          'INTERNAL',
          "The integrity root could not be unsealed: is this the keyring this database's root was sealed with?",
          { cause: error },
        );
      });
      return opened;
    },
  };
}
