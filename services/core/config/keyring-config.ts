import { isAbsolute } from 'node:path';
import { z } from 'zod';

/** Where the master keys live (SPEC §7, `STRONGROOM_KEYRING`). */
export type KeyringProviderName = 'file' | 'pkcs11' | 'aws-kms';

/** An HSM through PKCS#11. */
export interface Pkcs11Config {
  /** The HSM vendor's PKCS#11 module (`libsofthsm2.so`, `libcloudhsm_pkcs11.so`, …). */
  libraryPath: string;
  tokenLabel: string;
  /** The master key family's label (see pkcs11-keys.ts). */
  keyLabel: string;
  /** The user PIN: a file in production (re-read at every login), the environment in development. */
  pin: { kind: 'env'; value: string } | { kind: 'file'; path: string };
  /** Sessions kept open (the most HSM operations at once). */
  sessions: number;
}

/** AWS KMS: the key that wraps new data keys (region, endpoint, credentials: the AWS SDK's own settings). */
export interface AwsKmsConfig {
  keyId: string;
}

/**
 * Which provider wraps new data keys, and what each provider needs. A provider other
 * than the active one whose variables are set is opened for unwrapping only, so a
 * move between providers keeps every value readable (the file keyring: the
 * STRONGROOM_MASTER_KEYS variables; pkcs11: STRONGROOM_PKCS11_LIBRARY; aws-kms:
 * STRONGROOM_AWS_KMS_KEY_ID).
 */
export interface KeyringConfig {
  provider: KeyringProviderName;
  pkcs11?: Pkcs11Config;
  awsKms?: AwsKmsConfig;
}

/** Sessions by default: twice libuv's default thread pool, which runs the HSM calls. */
export const DEFAULT_PKCS11_SESSIONS = 8;

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** The keyring's environment variables, merged into the config schema. */
export const keyringEnvironmentShape = {
  STRONGROOM_KEYRING: z
    .enum(['file', 'pkcs11', 'aws-kms'], { error: 'must be file, pkcs11 or aws-kms' })
    .default('file'),
  STRONGROOM_PKCS11_LIBRARY: optionalText,
  STRONGROOM_PKCS11_TOKEN_LABEL: optionalText,
  STRONGROOM_PKCS11_KEY_LABEL: optionalText,
  // A PIN is taken as it is: surrounding spaces could be part of it.
  STRONGROOM_PKCS11_PIN: z.string().optional(),
  STRONGROOM_PKCS11_PIN_FILE: optionalText,
  STRONGROOM_PKCS11_SESSIONS: z.coerce
    .number({ error: 'must be a number of sessions' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(256, 'must be at most 256')
    .default(DEFAULT_PKCS11_SESSIONS),
  STRONGROOM_AWS_KMS_KEY_ID: optionalText,
};

type KeyringEnvironment = z.output<z.ZodObject<typeof keyringEnvironmentShape>>;

/** Key labels Strongroom makes and accepts: a rotated key adds `@<UTC time>` (17 characters). */
export const PKCS11_KEY_LABEL = /^[A-Za-z0-9_.-]{1,48}$/;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const MULTI_REGION = 'mrk-[0-9a-fA-F]{32}';
/** A KMS key id or key ARN; not an alias (see parseAwsKms). */
export const KMS_KEY_ID = new RegExp(
  `^(?:${UUID}|${MULTI_REGION}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/(?:${UUID}|${MULTI_REGION}))$`,
);

function parsePkcs11(
  e: KeyringEnvironment,
  production: boolean,
  problems: string[],
  resolvePath: (path: string) => string,
): Pkcs11Config | undefined {
  const needed = e.STRONGROOM_KEYRING === 'pkcs11' || e.STRONGROOM_PKCS11_LIBRARY !== undefined;
  const why =
    e.STRONGROOM_KEYRING === 'pkcs11'
      ? 'with STRONGROOM_KEYRING=pkcs11'
      : 'with STRONGROOM_PKCS11_LIBRARY set (the HSM is read while data keys move off it)';
  if (!needed) {
    const stray = (
      [
        'STRONGROOM_PKCS11_TOKEN_LABEL',
        'STRONGROOM_PKCS11_KEY_LABEL',
        'STRONGROOM_PKCS11_PIN',
        'STRONGROOM_PKCS11_PIN_FILE',
      ] as const
    ).filter((name) => e[name] !== undefined);
    for (const name of stray) {
      problems.push(`${name} is set, but neither STRONGROOM_KEYRING=pkcs11 nor STRONGROOM_PKCS11_LIBRARY is`);
    }
    return undefined;
  }
  const { STRONGROOM_PKCS11_LIBRARY: library, STRONGROOM_PKCS11_TOKEN_LABEL: token } = e;
  const { STRONGROOM_PKCS11_KEY_LABEL: keyLabel, STRONGROOM_PKCS11_PIN: pin } = e;
  const pinFile = e.STRONGROOM_PKCS11_PIN_FILE;
  const before = problems.length;
  if (!library)
    problems.push(`STRONGROOM_PKCS11_LIBRARY is required ${why}: the path of the HSM's PKCS#11 module`);
  else if (!isAbsolute(library)) problems.push('STRONGROOM_PKCS11_LIBRARY must be an absolute path');
  if (!token) problems.push(`STRONGROOM_PKCS11_TOKEN_LABEL is required ${why}: the label of the token`);
  else if (Buffer.byteLength(token) > 32)
    problems.push('STRONGROOM_PKCS11_TOKEN_LABEL must be at most 32 bytes');
  if (!keyLabel) problems.push(`STRONGROOM_PKCS11_KEY_LABEL is required ${why}: the label of the master key`);
  else if (!PKCS11_KEY_LABEL.test(keyLabel)) {
    problems.push(`STRONGROOM_PKCS11_KEY_LABEL must match ${PKCS11_KEY_LABEL.source}`);
  }
  if (pin !== undefined && pinFile !== undefined) {
    problems.push('STRONGROOM_PKCS11_PIN and STRONGROOM_PKCS11_PIN_FILE are both set; set only one');
  } else if (production && pin !== undefined) {
    problems.push(
      'STRONGROOM_PKCS11_PIN is refused in production: put the PIN in a file and set STRONGROOM_PKCS11_PIN_FILE ' +
        '(the environment leaks into process listings, crash reports and child processes)',
    );
  } else if (pin === undefined && pinFile === undefined) {
    problems.push(`STRONGROOM_PKCS11_PIN_FILE is required ${why}: the file holding the token's user PIN`);
  } else if (pin === '') {
    problems.push('STRONGROOM_PKCS11_PIN must not be empty');
  }
  if (problems.length > before) return undefined;
  return {
    libraryPath: library!,
    tokenLabel: token!,
    keyLabel: keyLabel!,
    pin: pinFile !== undefined ? { kind: 'file', path: resolvePath(pinFile) } : { kind: 'env', value: pin! },
    sessions: e.STRONGROOM_PKCS11_SESSIONS,
  };
}

function parseAwsKms(e: KeyringEnvironment, problems: string[]): AwsKmsConfig | undefined {
  const keyId = e.STRONGROOM_AWS_KMS_KEY_ID;
  if (keyId === undefined) {
    if (e.STRONGROOM_KEYRING === 'aws-kms') {
      problems.push(
        'STRONGROOM_AWS_KMS_KEY_ID is required with STRONGROOM_KEYRING=aws-kms: the KMS key id or ARN',
      );
    }
    return undefined;
  }
  if (/^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\//.test(keyId)) {
    problems.push(
      'STRONGROOM_AWS_KMS_KEY_ID must be a key id or key ARN, not an alias: an alias can be moved to another ' +
        'key, and `keys rewrap` tracks data keys by the key that wrapped them',
    );
    return undefined;
  }
  if (!KMS_KEY_ID.test(keyId)) {
    problems.push('STRONGROOM_AWS_KMS_KEY_ID must be a KMS key id (a UUID or mrk-…) or a key ARN');
    return undefined;
  }
  return { keyId };
}

/** The keyring part of the config; problems are added to `problems`, one line per variable. */
export function parseKeyringConfig(
  e: KeyringEnvironment,
  mode: 'development' | 'production',
  problems: string[],
  resolvePath: (path: string) => string,
): KeyringConfig {
  return {
    provider: e.STRONGROOM_KEYRING,
    pkcs11: parsePkcs11(e, mode === 'production', problems, resolvePath),
    awsKms: parseAwsKms(e, problems),
  };
}
