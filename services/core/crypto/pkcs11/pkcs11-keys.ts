import { keyringUnavailable } from '../keyring-errors.js';
import type { Pkcs11Session } from './pkcs11-connection.js';
import type { Pkcs11Handle } from './pkcs11-module.js';

/**
 * Master keys in the token are found by label. One configured label
 * (STRONGROOM_PKCS11_KEY_LABEL) names a family: the key an operator first made carries
 * the label itself, and each `keys rotate` adds `<label>@<UTC time>`
 * (`strongroom-master@20250301T120000Z`). The active key is the family's newest label:
 * the token is the record of which key is active, so every process that can see the
 * token agrees on it and picks up a rotation without a restart or a config change.
 */
export const ROTATED_LABEL_SEPARATOR = '@';

/** What Strongroom checks of a master key in the token. */
export interface Pkcs11KeyInfo {
  label: string;
  keyId: string;
  /** AES, 256 bits. */
  aes256: boolean;
  extractable: boolean;
  sensitive: boolean;
  neverExtractable: boolean;
  canEncrypt: boolean;
  canDecrypt: boolean;
}

export const pkcs11KeyId = (label: string): string => `pkcs11:${label}`;
export const labelOfKeyId = (keyId: string): string | undefined =>
  keyId.startsWith('pkcs11:') ? keyId.slice('pkcs11:'.length) : undefined;

const inFamily = (family: string, label: string): boolean =>
  label === family || label.startsWith(`${family}${ROTATED_LABEL_SEPARATOR}`);

/** The label of the family's next key: `<family>@<UTC time to the second>`. */
export function nextLabel(family: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${family}${ROTATED_LABEL_SEPARATOR}${stamp}`;
}

/** The newest of a family's labels: the bare label sorts before every rotated one. */
export function newestLabel(family: string, labels: string[]): string | undefined {
  return labels
    .filter((label) => inFamily(family, label))
    .sort()
    .at(-1);
}

/** Every secret key object the session can see, with its label. */
export function listSecretKeys({
  api,
  ck,
  handle,
}: Pkcs11Session): Array<{ label: string; object: Pkcs11Handle }> {
  api.C_FindObjectsInit(handle, [{ type: ck.CKA_CLASS, value: ck.CKO_SECRET_KEY }]);
  const objects: Pkcs11Handle[] = [];
  try {
    for (;;) {
      const found = api.C_FindObjects(handle, 64);
      if (found.length === 0) break;
      objects.push(...found);
    }
  } finally {
    api.C_FindObjectsFinal(handle);
  }
  return objects.map((object) => ({
    object,
    label: String(api.C_GetAttributeValue(handle, object, [{ type: ck.CKA_LABEL }])[0]?.value ?? ''),
  }));
}

/** The key labelled `label`, found once per connection (a handle lives as long as its login). */
export function findKey(session: Pkcs11Session, label: string): Pkcs11Handle {
  const cached = session.cache.get(label);
  if (cached) return cached;
  const { api, ck, handle } = session;
  api.C_FindObjectsInit(handle, [
    { type: ck.CKA_CLASS, value: ck.CKO_SECRET_KEY },
    { type: ck.CKA_LABEL, value: label },
  ]);
  let found: Pkcs11Handle[];
  try {
    found = api.C_FindObjects(handle, 2);
  } finally {
    api.C_FindObjectsFinal(handle);
  }
  if (found.length === 0) {
    throw keyringUnavailable('pkcs11', `no key labelled "${label}" is in the token`);
  }
  if (found.length > 1) {
    throw keyringUnavailable(
      'pkcs11',
      `two keys in the token are labelled "${label}"; labels must be unique`,
    );
  }
  session.cache.set(label, found[0]!);
  return found[0]!;
}

/** The attributes of `label`'s key that decide whether Strongroom may wrap with it. */
export function describeKey(session: Pkcs11Session, label: string): Pkcs11KeyInfo {
  const { api, ck, handle } = session;
  const object = findKey(session, label);
  const attributes = api.C_GetAttributeValue(handle, object, [
    { type: ck.CKA_KEY_TYPE },
    { type: ck.CKA_VALUE_LEN },
    { type: ck.CKA_EXTRACTABLE },
    { type: ck.CKA_SENSITIVE },
    { type: ck.CKA_NEVER_EXTRACTABLE },
    { type: ck.CKA_ENCRYPT },
    { type: ck.CKA_DECRYPT },
  ]);
  const value = (type: number) => attributes.find((a) => a.type === type)?.value as Buffer | undefined;
  const flag = (type: number) => (value(type)?.[0] ?? 0) === 1;
  const number = (type: number) => value(type)?.readUIntLE(0, Math.min(6, value(type)!.length)) ?? -1;
  return {
    label,
    keyId: pkcs11KeyId(label),
    aes256: number(ck.CKA_KEY_TYPE) === ck.CKK_AES && number(ck.CKA_VALUE_LEN) === 32,
    extractable: flag(ck.CKA_EXTRACTABLE),
    sensitive: flag(ck.CKA_SENSITIVE),
    neverExtractable: flag(ck.CKA_NEVER_EXTRACTABLE),
    canEncrypt: flag(ck.CKA_ENCRYPT),
    canDecrypt: flag(ck.CKA_DECRYPT),
  };
}

/** Why a key may not be the active master key, or undefined when it may. */
export function unfitForWrapping(info: Pkcs11KeyInfo): string | undefined {
  if (!info.aes256) return `key "${info.label}" is not a 256-bit AES key`;
  if (info.extractable || !info.sensitive)
    return `key "${info.label}" can leave the token (CKA_EXTRACTABLE or not CKA_SENSITIVE); Strongroom wraps only under non-extractable, sensitive keys`;
  if (!info.canEncrypt || !info.canDecrypt) return `key "${info.label}" may not encrypt and decrypt`;
  return undefined;
}

/**
 * Generates the family's next key inside the token: AES-256, sensitive, never
 * extractable, private, usable only to encrypt and decrypt. Needs a read-write session.
 */
export function generateKey(session: Pkcs11Session, label: string): void {
  const { api, ck, slot } = session;
  const writer = api.C_OpenSession(slot, ck.CKF_SERIAL_SESSION | ck.CKF_RW_SESSION);
  try {
    api.C_GenerateKey(writer, { mechanism: ck.CKM_AES_KEY_GEN }, [
      { type: ck.CKA_CLASS, value: ck.CKO_SECRET_KEY },
      { type: ck.CKA_KEY_TYPE, value: ck.CKK_AES },
      { type: ck.CKA_VALUE_LEN, value: 32 },
      { type: ck.CKA_LABEL, value: label },
      { type: ck.CKA_TOKEN, value: true },
      { type: ck.CKA_PRIVATE, value: true },
      { type: ck.CKA_SENSITIVE, value: true },
      { type: ck.CKA_EXTRACTABLE, value: false },
      { type: ck.CKA_ENCRYPT, value: true },
      { type: ck.CKA_DECRYPT, value: true },
      { type: ck.CKA_WRAP, value: false },
      { type: ck.CKA_UNWRAP, value: false },
      { type: ck.CKA_SIGN, value: false },
      { type: ck.CKA_VERIFY, value: false },
      { type: ck.CKA_DERIVE, value: false },
    ]);
  } finally {
    api.C_CloseSession(writer);
  }
}
