import { randomBytes } from 'node:crypto';
import { DomainError } from '../../../protocol/domain-error.js';
import { createCachedCheck } from '../cached-check.js';
import { keyContextAad, type KeyContext } from '../key-context.js';
import { keyringUnavailable } from '../keyring-errors.js';
import { decryptFailure, type Keyring } from '../keyring.js';
import {
  createPkcs11Connection,
  type Pkcs11ConnectionOptions,
  type Pkcs11Session,
} from './pkcs11-connection.js';
import { sessionIsLoggedIn } from './pkcs11-login.js';
import { classifyPkcs11Failure } from './pkcs11-errors.js';
import {
  describeKey,
  findKey,
  generateKey,
  labelOfKeyId,
  listSecretKeys,
  newestLabel,
  nextLabel,
  pkcs11KeyId,
  unfitForWrapping,
  type Pkcs11KeyInfo,
} from './pkcs11-keys.js';

export interface Pkcs11KeyringOptions extends Pkcs11ConnectionOptions {
  /** The label of the master key family (STRONGROOM_PKCS11_KEY_LABEL). */
  keyLabel: string;
  /** How often the token is searched for a newer key of the family (a rotation elsewhere). */
  rescanMs?: number;
  /** How long a readiness answer is reused. */
  checkTtlMs?: number;
}

/** The PKCS#11 keyring, and what `keys rotate` and `keys status` ask of it. */
export interface Pkcs11Keyring extends Keyring {
  readonly provider: 'pkcs11';
  /**
   * Creates the family's next key in the token (non-extractable) and makes it active;
   * on a token without one, the family's first key (labelled the label itself).
   */
  rotate(): Promise<Pkcs11KeyInfo>;
  /** The family's keys in the token, oldest first, with the attributes that matter. */
  describeKeys(): Promise<Pkcs11KeyInfo[]>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const CKR_GENERAL_ERROR = 0x05;

/**
 * Master keys in an HSM through PKCS#11 (SPEC §7). A data key is wrapped with
 * AES-256-GCM inside the token by C_Encrypt — the key never leaves it — under a random
 * 96-bit IV and the key context as AAD; the stored form is IV ‖ ciphertext ‖ tag and
 * the key id `pkcs11:<label>`. GCM through C_Encrypt rather than C_WrapKey: SoftHSM2
 * and several HSMs do not wrap with GCM, and the AAD must bind the data key to its row.
 */
export function createPkcs11Keyring(options: Pkcs11KeyringOptions): Pkcs11Keyring {
  const connection = createPkcs11Connection(options);
  const family = options.keyLabel;
  const rescanMs = options.rescanMs ?? 2_000;
  let active: { label: string; at: number } | undefined;

  /** The family's newest label, looked up again when the last look is `rescanMs` old. */
  function activeLabel(session: Pkcs11Session, force = false): string {
    if (!force && active && Date.now() - active.at < rescanMs) return active.label;
    const label = newestLabel(
      family,
      listSecretKeys(session).map((k) => k.label),
    );
    if (!label) {
      throw keyringUnavailable(
        'pkcs11',
        `no key labelled "${family}" is in the token; create one (docs/operations.md, "PKCS#11")`,
      );
    }
    if (label !== active?.label) {
      const unfit = unfitForWrapping(describeKey(session, label));
      if (unfit) throw keyringUnavailable('pkcs11', unfit);
    }
    active = { label, at: Date.now() };
    return label;
  }

  const gcm = (session: Pkcs11Session, iv: Buffer, context: KeyContext) => ({
    mechanism: session.ck.CKM_AES_GCM,
    parameter: {
      type: session.ck.CK_PARAMS_AES_GCM,
      iv,
      ivBits: IV_BYTES * 8,
      aad: keyContextAad(context),
      tagBits: TAG_BYTES * 8,
    },
  });

  const check = createCachedCheck(
    () =>
      connection.withSession((session) => {
        if (!sessionIsLoggedIn(session)) {
          connection.reset('the token logged this process out');
          throw keyringUnavailable('pkcs11', 'the token logged this process out; logging in again');
        }
        activeLabel(session, true);
      }),
    options.checkTtlMs ?? 1_000,
  );

  return {
    provider: 'pkcs11',
    activeKeyId: () => pkcs11KeyId(active?.label ?? family),
    keyIds: () => [pkcs11KeyId(active?.label ?? family)],
    owns: (keyId) => labelOfKeyId(keyId) !== undefined,

    wrap(dataKey, context) {
      return connection.withSession(async (session) => {
        const label = activeLabel(session);
        const key = findKey(session, label);
        const iv = randomBytes(IV_BYTES);
        session.api.C_EncryptInit(session.handle, gcm(session, iv, context), key);
        const sealed = await session.api.C_EncryptAsync(
          session.handle,
          dataKey,
          Buffer.alloc(dataKey.length + TAG_BYTES + 16),
        );
        return { keyId: pkcs11KeyId(label), wrappedKey: Buffer.concat([iv, sealed]) };
      });
    },

    unwrap({ keyId, wrappedKey }, context) {
      const label = labelOfKeyId(keyId);
      if (label === undefined) {
        return Promise.reject(new DomainError('INTERNAL', `Master key "${keyId}" is not a PKCS#11 key.`));
      }
      if (wrappedKey.length < IV_BYTES + TAG_BYTES + 1) return Promise.reject(decryptFailure());
      return connection.withSession(async (session) => {
        const key = findKey(session, label);
        const body = wrappedKey.subarray(IV_BYTES);
        session.api.C_DecryptInit(
          session.handle,
          gcm(session, wrappedKey.subarray(0, IV_BYTES), context),
          key,
        );
        const out = Buffer.alloc(body.length);
        try {
          return Buffer.from(await session.api.C_DecryptAsync(session.handle, body, out));
        } catch (error) {
          if (classifyPkcs11Failure(session.ck, error) === 'data') throw decryptFailure(error);
          // SoftHSM2 reports a tag that does not verify as CKR_GENERAL_ERROR: if the session
          // still answers, it was the value, not the token.
          if ((error as { code?: unknown }).code === CKR_GENERAL_ERROR) {
            if (sessionIsLoggedIn(session)) throw decryptFailure(error);
            connection.reset('the token logged this process out', error);
            throw keyringUnavailable('pkcs11', 'the token logged this process out; logging in again', error);
          }
          throw error;
        } finally {
          out.fill(0);
        }
      });
    },

    check,

    rotate() {
      return connection.withSession((session) => {
        const current = newestLabel(
          family,
          listSecretKeys(session).map((k) => k.label),
        );
        // On a token with no key of the family yet, the first one takes the label itself.
        let label = current === undefined ? family : nextLabel(family);
        // Two rotations within a second: the second one waits for a later label.
        if (current !== undefined && label <= current)
          label = nextLabel(family, new Date(Date.now() + 1_000));
        generateKey(session, label);
        const info = describeKey(session, label);
        activeLabel(session, true);
        return info;
      });
    },

    describeKeys() {
      return connection.withSession((session) =>
        listSecretKeys(session)
          .map((k) => k.label)
          .filter((label) => newestLabel(family, [label]) === label)
          .sort()
          .map((label) => describeKey(session, label)),
      );
    },

    close: () => connection.close(),
  };
}
