import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataKeyContext, INTEGRITY_ROOT_CONTEXT } from '../../services/core/crypto/key-context.js';
import { createPkcs11Keyring, type Pkcs11Keyring } from '../../services/core/crypto/pkcs11/pkcs11-keyring.js';
import { acquirePkcs11Module } from '../../services/core/crypto/pkcs11/pkcs11-module.js';
import { DomainError } from '../../services/protocol/domain-error.js';
import { createSoftHsm, SOFTHSM_LIBRARY, type SoftHsm, type SoftHsmToken } from '../support/softhsm.js';

const context = dataKeyContext({ workspaceId: 'ws-1', secretId: 'secret-a', version: 3 });

/** Resolves when `attempt` succeeds, retrying every 100 ms for up to `ms`. */
async function eventually<T>(attempt: () => Promise<T>, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const rejection = (promise: Promise<unknown>): Promise<DomainError> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as DomainError,
  );

describe('PKCS#11 keyring on SoftHSM2', () => {
  let hsm: SoftHsm;
  let token: SoftHsmToken;
  const keyrings: Pkcs11Keyring[] = [];
  const open = (overrides: Partial<Parameters<typeof createPkcs11Keyring>[0]> = {}) => {
    const keyring = createPkcs11Keyring({
      libraryPath: SOFTHSM_LIBRARY,
      tokenLabel: token.label,
      keyLabel: 'master',
      readPin: () => token.pin,
      sessions: 4,
      retryAfterMs: 200,
      checkTtlMs: 0,
      rescanMs: 0,
      ...overrides,
    });
    keyrings.push(keyring);
    return keyring;
  };

  beforeAll(async () => {
    hsm = createSoftHsm();
    hsm.useInThisProcess();
    token = await hsm.initToken('keyring-test');
    await token.createKey('master');
  });
  afterAll(async () => {
    for (const keyring of keyrings) await keyring.close();
    hsm?.remove();
  });

  it('wraps inside the token with AES-GCM under the key context, and unwraps only under the same one', async () => {
    const keyring = open();
    await keyring.check();
    expect(keyring.activeKeyId()).toBe('pkcs11:master');
    const dataKey = randomBytes(32);
    const wrapped = await keyring.wrap(dataKey, context);
    expect(wrapped.keyId).toBe('pkcs11:master');
    // IV ‖ ciphertext ‖ tag
    expect(wrapped.wrappedKey).toHaveLength(12 + 32 + 16);
    expect(wrapped.wrappedKey.includes(dataKey)).toBe(false);
    expect((await keyring.unwrap(wrapped, context)).equals(dataKey)).toBe(true);

    for (const other of [
      { ...context, version: 4 },
      { ...context, secretId: 'secret-b' },
      { ...context, workspaceId: 'ws-2' },
      { ...context, extra: { scope: 'PERSONAL' } },
    ]) {
      const error = await rejection(keyring.unwrap(wrapped, other));
      expect(error).toBeInstanceOf(DomainError);
      expect(error.message).toMatch(/failed its integrity check/);
    }
    const flipped = Buffer.from(wrapped.wrappedKey);
    flipped[20]! ^= 1;
    expect((await rejection(keyring.unwrap({ ...wrapped, wrappedKey: flipped }, context))).message).toMatch(
      /integrity check/,
    );
    // The token is fine after a value that did not verify.
    expect((await keyring.unwrap(wrapped, context)).equals(dataKey)).toBe(true);
  });

  it('seals the integrity root under its fixed context, bound to no secret', async () => {
    const keyring = open();
    const root = randomBytes(32);
    const sealed = await keyring.wrap(root, INTEGRITY_ROOT_CONTEXT);
    expect((await keyring.unwrap(sealed, INTEGRITY_ROOT_CONTEXT)).equals(root)).toBe(true);
    await expect(keyring.unwrap(sealed, context)).rejects.toThrow(/integrity check/);
  });

  it('keeps the master key in the token: sensitive, never extractable, its value unreadable', async () => {
    const keyring = open();
    const [key] = await keyring.describeKeys();
    expect(key).toMatchObject({
      label: 'master',
      aes256: true,
      extractable: false,
      sensitive: true,
      neverExtractable: true,
    });
    const listed = await token.listObjects();
    expect(listed).toMatch(/label:\s+master/);
    expect(listed).toMatch(/never extractable/);
    // Asking the token for the key's value is refused.
    const module = await acquirePkcs11Module(SOFTHSM_LIBRARY);
    try {
      const { api, ck } = module;
      const slot = api.C_GetSlotList(true).find((s) => api.C_GetTokenInfo(s).label.trim() === token.label)!;
      const session = api.C_OpenSession(slot, ck.CKF_SERIAL_SESSION);
      try {
        api.C_FindObjectsInit(session, [{ type: ck.CKA_LABEL, value: 'master' }]);
        const [object] = api.C_FindObjects(session, 1);
        api.C_FindObjectsFinal(session);
        expect(() => api.C_GetAttributeValue(session, object!, [{ type: ck.CKA_VALUE }])).toThrow(
          /CKR_ATTRIBUTE_SENSITIVE/,
        );
      } finally {
        api.C_CloseSession(session);
      }
    } finally {
      module.release();
    }
  });

  it('refuses to wrap under a key that can leave the token', async () => {
    // An operator's mistake: a key made without --sensitive, and extractable.
    const extractable = open({ keyLabel: 'leaky-family' });
    const module = await acquirePkcs11Module(SOFTHSM_LIBRARY);
    try {
      const { api, ck } = module;
      const slot = api.C_GetSlotList(true).find((s) => api.C_GetTokenInfo(s).label.trim() === token.label)!;
      const session = api.C_OpenSession(slot, ck.CKF_SERIAL_SESSION | ck.CKF_RW_SESSION);
      try {
        api.C_Login(session, ck.CKU_USER, token.pin);
      } catch {
        // Already logged in by a keyring of this process.
      }
      api.C_GenerateKey(session, { mechanism: ck.CKM_AES_KEY_GEN }, [
        { type: ck.CKA_CLASS, value: ck.CKO_SECRET_KEY },
        { type: ck.CKA_VALUE_LEN, value: 32 },
        { type: ck.CKA_LABEL, value: 'leaky-family' },
        { type: ck.CKA_TOKEN, value: true },
        { type: ck.CKA_PRIVATE, value: true },
        { type: ck.CKA_SENSITIVE, value: false },
        { type: ck.CKA_EXTRACTABLE, value: true },
        { type: ck.CKA_ENCRYPT, value: true },
        { type: ck.CKA_DECRYPT, value: true },
      ]);
      api.C_CloseSession(session);
    } finally {
      module.release();
    }
    const error = await rejection(extractable.check());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/can leave the token/);
    await expect(extractable.wrap(randomBytes(32), context)).rejects.toThrow(/can leave the token/);
  });

  it('runs many operations at once on a few sessions, one operation per session', async () => {
    const keyring = open({ sessions: 3 });
    const keys = Array.from({ length: 200 }, () => randomBytes(32));
    const wrapped = await Promise.all(keys.map((k, i) => keyring.wrap(k, { ...context, version: i })));
    const unwrapped = await Promise.all(wrapped.map((w, i) => keyring.unwrap(w, { ...context, version: i })));
    expect(unwrapped.every((k, i) => k.equals(keys[i]!))).toBe(true);
  });

  it('rotate makes a new non-extractable key active; older keys still unwrap; other keyrings follow', async () => {
    const first = open({ keyLabel: 'rotating' });
    const second = open({ keyLabel: 'rotating' });
    await token.createKey('rotating');
    await first.check();
    await second.check();
    const before = await second.wrap(randomBytes(32), context);
    expect(before.keyId).toBe('pkcs11:rotating');

    const rotated = await first.rotate();
    expect(rotated.label).toMatch(/^rotating@\d{8}T\d{6}Z$/);
    expect(rotated).toMatchObject({
      extractable: false,
      sensitive: true,
      neverExtractable: true,
      aes256: true,
    });
    expect(first.activeKeyId()).toBe(`pkcs11:${rotated.label}`);
    // The other keyring finds the newer label on its next look (rescanMs 0 here; 2 s by default).
    const after = await second.wrap(randomBytes(32), context);
    expect(after.keyId).toBe(`pkcs11:${rotated.label}`);
    await expect(second.unwrap(before, context)).resolves.toHaveLength(32);
    expect((await first.describeKeys()).map((k) => k.label)).toEqual(['rotating', rotated.label]);
  });

  it('rotate on a token without the family makes its first key, labelled the label itself', async () => {
    const keyring = open({ keyLabel: 'fresh' });
    await expect(keyring.check()).rejects.toThrow(/no key labelled "fresh" is in the token/);
    const first = await keyring.rotate();
    expect(first).toMatchObject({ label: 'fresh', extractable: false, sensitive: true });
    await keyring.check();
    expect(keyring.activeKeyId()).toBe('pkcs11:fresh');
  });

  it('a refused PIN is a clear UNAVAILABLE, not retried with the same PIN; a corrected PIN file is picked up', async () => {
    const pinFile = join(hsm.dir, 'wrong.pin');
    writeFileSync(pinFile, 'not-the-pin\n');
    // Its own process would log in afresh; here the other keyrings' login is shared, so log them out first.
    for (const keyring of keyrings.splice(0)) await keyring.close();
    const keyring = open({ readPin: () => readFileSync(pinFile, 'utf8').trim() });
    const error = await rejection(keyring.check());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.details).toMatchObject({ retryable: true, reason: 'KEYRING_UNAVAILABLE' });
    expect(error.message).toMatch(/refused the PIN \(CKR_PIN_INCORRECT\)/);
    await new Promise((r) => setTimeout(r, 300));
    // Past retryAfterMs, the same PIN is still not sent again: the same failure comes back.
    expect(await rejection(keyring.check())).toBe(error);
    await expect(keyring.wrap(randomBytes(32), context)).rejects.toBe(error);

    writeFileSync(pinFile, `${token.pin}\n`);
    await eventually(() => keyring.check());
    await expect(keyring.wrap(randomBytes(32), context)).resolves.toMatchObject({ keyId: 'pkcs11:master' });
  });

  it('the token taken away fails calls UNAVAILABLE and the check; its return is picked up without a restart', async () => {
    const keyring = open();
    const wrapped = await keyring.wrap(randomBytes(32), context);
    hsm.takeTokensAway();
    try {
      const error = await rejection(keyring.unwrap(wrapped, context));
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toMatch(/pkcs11/);
      await expect(keyring.check()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      hsm.bringTokensBack();
    }
    await eventually(() => keyring.check());
    await expect(keyring.unwrap(wrapped, context)).resolves.toHaveLength(32);
  });

  it('a library that cannot be loaded is UNAVAILABLE until it is there', async () => {
    const link = join(hsm.dir, 'libpkcs11-later.so');
    const keyring = open({ libraryPath: link });
    const error = await rejection(keyring.check());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/PKCS#11 library .*libpkcs11-later\.so could not be loaded/);
    symlinkSync(SOFTHSM_LIBRARY, link);
    try {
      await eventually(() => keyring.check());
      await expect(keyring.wrap(randomBytes(32), context)).resolves.toMatchObject({ keyId: 'pkcs11:master' });
    } finally {
      await keyring.close();
      rmSync(link, { force: true });
    }
  });

  it('sessions closed behind its back (a token reset) are opened again', async () => {
    const keyring = open();
    const wrapped = await keyring.wrap(randomBytes(32), context);
    const module = await acquirePkcs11Module(SOFTHSM_LIBRARY);
    try {
      const { api } = module;
      for (const slot of api.C_GetSlotList(true)) api.C_CloseAllSessions(slot);
    } finally {
      module.release();
    }
    await expect(keyring.unwrap(wrapped, context)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await eventually(() => keyring.unwrap(wrapped, context));
  });
});
