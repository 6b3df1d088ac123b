/**
 * What a wrapped key is bound to. A keyring never wraps or unwraps a key without one:
 * local keyrings turn it into AES-GCM additional data, AWS KMS into an encryption
 * context, PKCS#11 into the GCM parameters' AAD. Derived from the structured fields,
 * never from an opaque blob, so a KMS policy can name them (`kms:EncryptionContext:…`).
 */
export interface KeyContext {
  /** What the key is for: `data-key` for a secret version, `integrity-root` for §8.1's keys. */
  purpose: KeyPurpose;
  workspaceId?: string;
  secretId?: string;
  version?: number;
  /**
   * Further bindings (for example `scope` and `ownerId`, SPEC §8.1): every provider
   * binds them as well. Names must not repeat one of the fields above.
   */
  extra?: Readonly<Record<string, string>>;
}

export type KeyPurpose = 'data-key' | 'integrity-root';

/** The fields of a secret version a data key is bound to. */
export interface SecretBinding {
  workspaceId: string;
  secretId: string;
  version: number;
}

/** The context of the data key of one secret version. */
export const dataKeyContext = ({ workspaceId, secretId, version }: SecretBinding): KeyContext => ({
  purpose: 'data-key',
  workspaceId,
  secretId,
  version,
});

/** The context the integrity root (SPEC §8.1) is sealed under: fixed, bound to no secret. */
export const INTEGRITY_ROOT_CONTEXT: KeyContext = Object.freeze({ purpose: 'integrity-root' });

const RESERVED_NAMES = new Set(['purpose', 'workspaceId', 'secretId', 'version']);
const EXTRA_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** The extra bindings in name order, checked: a context with a bad name is a bug, not input. */
function sortedExtras(context: KeyContext): Array<[string, string]> {
  const entries = Object.entries(context.extra ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name] of entries) {
    if (RESERVED_NAMES.has(name) || !EXTRA_NAME.test(name)) {
      throw new Error(`key context: "${name}" cannot be an extra binding`);
    }
  }
  return entries;
}

const bindsSecret = (context: KeyContext): boolean =>
  context.workspaceId !== undefined || context.secretId !== undefined || context.version !== undefined;

/**
 * Additional authenticated data for a context: a length-unambiguous JSON array. A data
 * key's context gives exactly the bytes Strongroom has always used
 * (`["strongroom/v1","data-key",workspace,secret,version]`), so every key wrapped before
 * providers existed still unwraps. A context bound to no secret drops the three fields
 * (`["strongroom/v1","integrity-root"]`); extra bindings follow as one object, in name order.
 */
export function keyContextAad(context: KeyContext): Buffer {
  const parts: unknown[] = ['strongroom/v1', context.purpose];
  if (bindsSecret(context)) {
    parts.push(context.workspaceId ?? null, context.secretId ?? null, context.version ?? null);
  }
  const extras = sortedExtras(context);
  if (extras.length > 0) parts.push(Object.fromEntries(extras));
  return Buffer.from(JSON.stringify(parts), 'utf8');
}

/**
 * The AWS KMS encryption context of a key context: every field as a string. KMS
 * binds it as AAD and logs it in CloudTrail; IAM conditions may name each entry.
 */
export function kmsEncryptionContext(context: KeyContext): Record<string, string> {
  const map: Record<string, string> = { purpose: context.purpose };
  if (context.workspaceId !== undefined) map.workspaceId = context.workspaceId;
  if (context.secretId !== undefined) map.secretId = context.secretId;
  if (context.version !== undefined) map.version = String(context.version);
  for (const [name, value] of sortedExtras(context)) map[name] = value;
  return map;
}
