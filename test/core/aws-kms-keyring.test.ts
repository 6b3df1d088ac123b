import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsKmsKeyring } from '../../services/core/crypto/aws-kms-keyring.js';
import { dataKeyContext, INTEGRITY_ROOT_CONTEXT } from '../../services/core/crypto/key-context.js';
import type { Keyring } from '../../services/core/crypto/keyring.js';
import { DomainError } from '../../services/protocol/domain-error.js';
import { startKmsEmulator, type KmsEmulator, type KmsGrant } from '../support/kms-emulator.js';

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Condition?: { StringEquals?: Record<string, string | string[]> };
}

/** An IAM policy of deploy/aws-kms as the emulator's grants: its actions, and the purposes its conditions allow. */
function grantsOf(path: string): KmsGrant[] {
  const policy = JSON.parse(readFileSync(path, 'utf8')) as { Statement: PolicyStatement[] };
  return policy.Statement.filter((s) => s.Effect === 'Allow').map((s) => {
    const purposes = s.Condition?.StringEquals?.['kms:EncryptionContext:purpose'];
    return {
      actions: [s.Action].flat().map((a) => a.replace(/^kms:/, '')),
      purposes: purposes === undefined ? undefined : [purposes].flat(),
    };
  });
}

const context = dataKeyContext({ workspaceId: 'ws-1', secretId: 'secret-a', version: 2 });
const expectedContext = { purpose: 'data-key', workspaceId: 'ws-1', secretId: 'secret-a', version: '2' };

describe('AWS KMS keyring against the local KMS emulator', () => {
  let kms: KmsEmulator;
  const keyrings: Keyring[] = [];
  const open = async (keyId: string, accessKeyId = 'AKIDADMIN') => {
    const keyring = await createAwsKmsKeyring({
      keyId,
      checkTtlMs: 0,
      clientConfig: {
        endpoint: kms.endpoint,
        region: kms.region,
        credentials: { accessKeyId, secretAccessKey: 'not-checked' },
      },
    });
    keyrings.push(keyring);
    return keyring;
  };

  beforeAll(async () => {
    kms = await startKmsEmulator();
  });
  afterAll(async () => {
    for (const keyring of keyrings) await keyring.close();
    await kms?.stop();
  });

  it('wraps with Encrypt and unwraps with Decrypt, the encryption context binding workspace, secret and version', async () => {
    const key = kms.createKey();
    const keyring = await open(key.id);
    await keyring.check();
    const from = kms.calls.length;
    const dataKey = randomBytes(32);
    const wrapped = await keyring.wrap(dataKey, context);
    expect(wrapped.keyId).toBe(`kms:${key.id}`);
    expect(wrapped.wrappedKey.includes(dataKey)).toBe(false);
    expect((await keyring.unwrap(wrapped, context)).equals(dataKey)).toBe(true);
    const calls = kms.calls.slice(from);
    expect(calls.map((c) => c.operation)).toEqual(['Encrypt', 'Decrypt']);
    for (const call of calls) {
      expect(call).toMatchObject({ keyId: key.id, encryptionContext: expectedContext, outcome: 'ok' });
    }

    for (const other of [
      { ...context, version: 3 },
      { ...context, secretId: 'secret-b' },
      { ...context, workspaceId: 'ws-2' },
    ]) {
      const error = await keyring.unwrap(wrapped, other).catch((e: unknown) => e as DomainError);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('INTERNAL');
      expect((error as DomainError).message).toMatch(/integrity check/);
    }
    expect(kms.calls.slice(-3).map((c) => c.outcome)).toEqual(Array(3).fill('InvalidCiphertextException'));
  });

  it('seals the integrity root under purpose integrity-root alone', async () => {
    const key = kms.createKey();
    const keyring = await open(key.id);
    const root = randomBytes(32);
    const sealed = await keyring.wrap(root, INTEGRITY_ROOT_CONTEXT);
    expect(kms.calls.at(-1)!.encryptionContext).toEqual({ purpose: 'integrity-root' });
    expect((await keyring.unwrap(sealed, INTEGRITY_ROOT_CONTEXT)).equals(root)).toBe(true);
  });

  it('unwraps a data key of another KMS key by the key id stored with it (a move between keys)', async () => {
    const oldKey = kms.createKey();
    const newKey = kms.createKey();
    const before = await (await open(oldKey.id)).wrap(randomBytes(32), context);
    const keyring = await open(newKey.id);
    await expect(keyring.unwrap(before, context)).resolves.toHaveLength(32);
    expect(kms.calls.at(-1)).toMatchObject({ operation: 'Decrypt', keyId: oldKey.id });
    expect(keyring.owns(before.keyId)).toBe(true);
    expect(keyring.owns('k-file-key')).toBe(false);
    expect(keyring.owns('pkcs11:master')).toBe(false);
  });

  it('separation of duties as deploy/aws-kms grants it: the API wraps but cannot unwrap a data key, the resolver the reverse', async () => {
    const key = kms.createKey();
    kms.grant('AKIDAPI', grantsOf('deploy/aws-kms/api-policy.json'));
    kms.grant('AKIDRESOLVER', grantsOf('deploy/aws-kms/resolver-policy.json'));
    const api = await open(key.id, 'AKIDAPI');
    const resolver = await open(key.id, 'AKIDRESOLVER');
    await api.check();
    await resolver.check();
    const wrapped = await api.wrap(randomBytes(32), context);
    const denied = (await api.unwrap(wrapped, context).catch((e: unknown) => e)) as DomainError;
    expect(denied.code).toBe('UNAVAILABLE');
    expect(denied.message).toMatch(/AccessDeniedException/);
    await expect(resolver.unwrap(wrapped, context)).resolves.toHaveLength(32);
    await expect(resolver.wrap(randomBytes(32), context)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    // The integrity root (SPEC §8.1) stays readable to both: each process signs its checkpoints.
    const root = await api.wrap(randomBytes(32), INTEGRITY_ROOT_CONTEXT);
    await expect(api.unwrap(root, INTEGRITY_ROOT_CONTEXT)).resolves.toHaveLength(32);
    await expect(resolver.unwrap(root, INTEGRITY_ROOT_CONTEXT)).resolves.toHaveLength(32);
  });

  it('a disabled key fails the check and every call UNAVAILABLE, retryable; enabled again, it serves', async () => {
    const key = kms.createKey();
    const keyring = await open(key.id);
    const wrapped = await keyring.wrap(randomBytes(32), context);
    kms.disableKey(key.id);
    await expect(keyring.check()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      details: { retryable: true, reason: 'KEYRING_UNAVAILABLE' },
    });
    await expect(keyring.unwrap(wrapped, context)).rejects.toThrow(/DisabledException/);
    kms.enableKey(key.id);
    await keyring.check();
    await expect(keyring.unwrap(wrapped, context)).resolves.toHaveLength(32);
  });

  it('KMS unreachable: calls fail UNAVAILABLE within the call budget; back, it serves without a new keyring', async () => {
    const key = kms.createKey();
    const keyring = await open(key.id);
    const wrapped = await keyring.wrap(randomBytes(32), context);
    await kms.stop();
    try {
      const started = Date.now();
      const error = (await keyring.unwrap(wrapped, context).catch((e: unknown) => e)) as DomainError;
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toMatch(/aws-kms/);
      await expect(keyring.check()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await kms.restart();
    }
    await keyring.check();
    await expect(keyring.unwrap(wrapped, context)).resolves.toHaveLength(32);
  });
});
