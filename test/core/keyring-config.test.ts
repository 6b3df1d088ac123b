import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../services/core/config/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'mysql://app:pw@db:3306/strongroom',
  STRONGROOM_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
  STRONGROOM_JWT_ISSUER: 'https://idp.example/',
  STRONGROOM_JWT_AUDIENCE: 'strongroom',
  STRONGROOM_TLS_CERT: '/tls/server.crt',
  STRONGROOM_TLS_KEY: '/tls/server.key',
  STRONGROOM_RUNNER_CA: '/tls/runner-ca.crt',
  STRONGROOM_RUNNER_POLICY: '/etc/strongroom/runners.json',
  STRONGROOM_RUN_GRANT_JWKS_URL: 'https://orchestrator.example/.well-known/jwks.json',
  STRONGROOM_RUN_GRANT_ISSUER: 'https://orchestrator.example/',
};

const pkcs11 = {
  STRONGROOM_KEYRING: 'pkcs11',
  STRONGROOM_PKCS11_LIBRARY: '/usr/lib/softhsm/libsofthsm2.so',
  STRONGROOM_PKCS11_TOKEN_LABEL: 'strongroom',
  STRONGROOM_PKCS11_KEY_LABEL: 'strongroom-master',
  STRONGROOM_PKCS11_PIN_FILE: '/run/secrets/hsm-pin',
};

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe('keyring configuration (STRONGROOM_KEYRING)', () => {
  it('defaults to the file keyring', () => {
    expect(loadConfig({}, '/srv').keyring).toEqual({ provider: 'file' });
  });

  it('takes a complete pkcs11 configuration; production needs no keyring file then', () => {
    const config = loadConfig({ ...production, ...pkcs11 }, '/srv');
    expect(config.keyring).toEqual({
      provider: 'pkcs11',
      pkcs11: {
        libraryPath: pkcs11.STRONGROOM_PKCS11_LIBRARY,
        tokenLabel: 'strongroom',
        keyLabel: 'strongroom-master',
        pin: { kind: 'file', path: '/run/secrets/hsm-pin' },
        sessions: 8,
      },
    });
    expect(config.masterKeys).toEqual({ kind: 'none' });
  });

  it('keeps a previous keyring file for reading while data keys move to the HSM', () => {
    const config = loadConfig(
      { ...production, ...pkcs11, STRONGROOM_MASTER_KEYS_FILE: '/run/keys.json' },
      '/srv',
    );
    expect(config.masterKeys).toEqual({ kind: 'file', path: '/run/keys.json' });
    expect(config.keyring.provider).toBe('pkcs11');
  });

  it('takes aws-kms with a key id or key ARN', () => {
    expect(
      loadConfig({ STRONGROOM_KEYRING: 'aws-kms', STRONGROOM_AWS_KMS_KEY_ID: KEY_ID }, '/srv').keyring,
    ).toEqual({
      provider: 'aws-kms',
      awsKms: { keyId: KEY_ID },
    });
    const arn = `arn:aws:kms:eu-west-1:123456789012:key/${KEY_ID}`;
    expect(
      loadConfig({ STRONGROOM_KEYRING: 'aws-kms', STRONGROOM_AWS_KMS_KEY_ID: arn }, '/srv').keyring.awsKms,
    ).toEqual({ keyId: arn });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'an unknown provider',
      { STRONGROOM_KEYRING: 'vault' },
      /STRONGROOM_KEYRING must be file, pkcs11 or aws-kms/,
    ],
    [
      'pkcs11 without its variables',
      { STRONGROOM_KEYRING: 'pkcs11' },
      /STRONGROOM_PKCS11_LIBRARY is required with STRONGROOM_KEYRING=pkcs11/,
    ],
    [
      'a relative library path',
      { ...pkcs11, STRONGROOM_PKCS11_LIBRARY: 'lib.so' },
      /must be an absolute path/,
    ],
    [
      'a token label longer than PKCS#11 allows',
      { ...pkcs11, STRONGROOM_PKCS11_TOKEN_LABEL: 't'.repeat(33) },
      /STRONGROOM_PKCS11_TOKEN_LABEL must be at most 32 bytes/,
    ],
    [
      'a key label with a separator of rotated labels',
      { ...pkcs11, STRONGROOM_PKCS11_KEY_LABEL: 'master@2025' },
      /STRONGROOM_PKCS11_KEY_LABEL must match/,
    ],
    [
      'both PIN variables',
      { ...pkcs11, STRONGROOM_PKCS11_PIN: '1234' },
      /STRONGROOM_PKCS11_PIN and STRONGROOM_PKCS11_PIN_FILE are both set/,
    ],
    [
      'no PIN',
      { ...pkcs11, STRONGROOM_PKCS11_PIN_FILE: '' },
      /STRONGROOM_PKCS11_PIN_FILE is required with STRONGROOM_KEYRING=pkcs11/,
    ],
    [
      'a session count of 0',
      { ...pkcs11, STRONGROOM_PKCS11_SESSIONS: '0' },
      /STRONGROOM_PKCS11_SESSIONS must be at least 1/,
    ],
    [
      'a PKCS#11 variable nothing uses',
      { STRONGROOM_PKCS11_TOKEN_LABEL: 'x' },
      /STRONGROOM_PKCS11_TOKEN_LABEL is set, but neither STRONGROOM_KEYRING=pkcs11 nor STRONGROOM_PKCS11_LIBRARY is/,
    ],
    ['aws-kms without a key', { STRONGROOM_KEYRING: 'aws-kms' }, /STRONGROOM_AWS_KMS_KEY_ID is required/],
    [
      'a KMS alias',
      { STRONGROOM_KEYRING: 'aws-kms', STRONGROOM_AWS_KMS_KEY_ID: 'alias/strongroom' },
      /must be a key id or key ARN, not an alias/,
    ],
    [
      'a KMS alias ARN',
      {
        STRONGROOM_KEYRING: 'aws-kms',
        STRONGROOM_AWS_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:alias/x',
      },
      /not an alias/,
    ],
    [
      'something else as KMS key',
      { STRONGROOM_KEYRING: 'aws-kms', STRONGROOM_AWS_KMS_KEY_ID: 'my-key' },
      /STRONGROOM_AWS_KMS_KEY_ID must be a KMS key id/,
    ],
  ])('refuses %s with a clear message', (_what, env, message) => {
    expect(problemsOf(env).join('\n')).toMatch(message);
  });

  it('production reads the PIN from a file, never from the environment', () => {
    const { STRONGROOM_PKCS11_PIN_FILE: _file, ...withoutFile } = pkcs11;
    const problems = problemsOf({ ...production, ...withoutFile, STRONGROOM_PKCS11_PIN: '1234' });
    expect(problems.join('\n')).toMatch(/STRONGROOM_PKCS11_PIN is refused in production/);
    // Development takes it from the environment.
    expect(loadConfig({ ...withoutFile, STRONGROOM_PKCS11_PIN: '1234' }, '/srv').keyring.pkcs11?.pin).toEqual(
      {
        kind: 'env',
        value: '1234',
      },
    );
  });

  it('production with the file provider still needs the master keys', () => {
    expect(problemsOf(production).join('\n')).toMatch(
      /STRONGROOM_MASTER_KEYS or STRONGROOM_MASTER_KEYS_FILE is required/,
    );
  });
});
