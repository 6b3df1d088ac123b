import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelopeCipher, type SealedValue } from '../../services/core/crypto/envelope-cipher.js';
import {
  dataKeyContext,
  INTEGRITY_ROOT_CONTEXT,
  keyContextAad,
  kmsEncryptionContext,
  type KeyContext,
} from '../../services/core/crypto/key-context.js';
import { parseMasterKeys } from '../../services/core/crypto/keyring-file.js';
import { createLocalKeyring } from '../../services/core/crypto/keyring.js';

interface LegacyFixture {
  keyring: { activeKeyId: string; keys: Record<string, string> };
  values: Array<{
    context: { workspaceId: string; secretId: string; version: number };
    value: string;
    sealed: Record<keyof SealedValue, string>;
  }>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/legacy-sealed-values.json', import.meta.url), 'utf8'),
) as LegacyFixture;

describe('key contexts', () => {
  it('values sealed before keyring providers existed still open (same AAD bytes)', async () => {
    const contents = parseMasterKeys(JSON.stringify(fixture.keyring));
    const cipher = createEnvelopeCipher({ keyring: createLocalKeyring(() => contents) });
    for (const { context, value, sealed } of fixture.values) {
      const stored: SealedValue = {
        ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
        iv: Buffer.from(sealed.iv, 'base64'),
        tag: Buffer.from(sealed.tag, 'base64'),
        wrappedKey: Buffer.from(sealed.wrappedKey, 'base64'),
        keyId: sealed.keyId,
        // Written before scope and owner were bound.
        binding: 1,
      };
      await expect(cipher.open(stored, context)).resolves.toBe(value);
      // And a rewrap of such a key under the same keyring keeps it openable.
      const moved = await cipher.rewrap(stored, context);
      await expect(cipher.open({ ...stored, ...moved }, context)).resolves.toBe(value);
    }
  });

  it("a data key's AAD is exactly the historical encoding", () => {
    expect(keyContextAad(dataKeyContext({ workspaceId: 'w', secretId: 's', version: 7 })).toString()).toBe(
      '["strongroom/v1","data-key","w","s",7]',
    );
    expect(keyContextAad(INTEGRITY_ROOT_CONTEXT).toString()).toBe('["strongroom/v1","integrity-root"]');
    expect(
      keyContextAad({
        ...dataKeyContext({ workspaceId: 'w', secretId: 's', version: 7 }),
        extra: { scope: 'PERSONAL', ownerId: 'u' },
      }).toString(),
    ).toBe('["strongroom/v1","data-key","w","s",7,{"ownerId":"u","scope":"PERSONAL"}]');
  });

  const contexts: fc.Arbitrary<KeyContext> = fc.record(
    {
      purpose: fc.constantFrom('data-key' as const, 'integrity-root' as const),
      workspaceId: fc.string({ maxLength: 6 }),
      secretId: fc.string({ maxLength: 6 }),
      version: fc.nat(5),
      extra: fc.dictionary(fc.constantFrom('scope', 'ownerId', 'owner_id'), fc.string({ maxLength: 4 }), {
        maxKeys: 2,
      }),
    },
    { requiredKeys: ['purpose'] },
  );
  const canonical = (c: KeyContext) =>
    JSON.stringify([
      c.purpose,
      c.workspaceId ?? null,
      c.secretId ?? null,
      c.version ?? null,
      Object.entries(c.extra ?? {}).sort(),
    ]);

  it('two contexts give the same AAD only when they are the same context (property)', () => {
    fc.assert(
      fc.property(contexts, contexts, (a, b) => {
        const same = keyContextAad(a).equals(keyContextAad(b));
        expect(same).toBe(canonical(a) === canonical(b));
      }),
      { numRuns: 2_000 },
    );
  });

  it('the KMS encryption context names every field as a string, extras included (property)', () => {
    fc.assert(
      fc.property(contexts, (c) => {
        const map = kmsEncryptionContext(c);
        expect(map.purpose).toBe(c.purpose);
        expect(map.workspaceId).toBe(c.workspaceId);
        expect(map.secretId).toBe(c.secretId);
        expect(map.version).toBe(c.version === undefined ? undefined : String(c.version));
        for (const [name, value] of Object.entries(c.extra ?? {})) expect(map[name]).toBe(value);
      }),
    );
  });

  it('refuses an extra binding that would shadow a field', () => {
    expect(() => keyContextAad({ purpose: 'data-key', extra: { version: '9' } })).toThrow(
      /cannot be an extra/,
    );
    expect(() => kmsEncryptionContext({ purpose: 'data-key', extra: { 'aws:x': '1' } })).toThrow();
  });
});
