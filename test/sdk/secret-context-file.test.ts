import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSecretContextFile } from '../../services/sdk/secret-context-file.js';
import { SecretAliasError } from '../../services/sdk/sdk-errors.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-context-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mode = (path: string) => statSync(path).mode & 0o777;

describe('writeSecretContextFile', () => {
  it('writes { secrets } readable by its owner only, in a private directory, and removes both', async () => {
    const file = await writeSecretContextFile({ API_KEY: 'pk_live_42', __proto__x: 'y' }, { parent: dir });
    expect(dirname(file.path)).toBe(file.directory);
    expect(file.directory.startsWith(join(dir, 'strongroom-context-'))).toBe(true);
    expect(mode(file.directory)).toBe(0o700);
    expect(mode(file.path)).toBe(0o600);
    expect(JSON.parse(readFileSync(file.path, 'utf8'))).toEqual({
      secrets: { API_KEY: 'pk_live_42', __proto__x: 'y' },
    });
    await file.remove();
    await file.remove(); // twice is fine
    expect(existsSync(file.directory)).toBe(false);
  });

  it('keeps a key named __proto__ as an ordinary key, and uses the file name given', async () => {
    const secrets = JSON.parse('{"__proto__": "v"}') as Record<string, string>;
    const file = await writeSecretContextFile(secrets, { parent: dir, fileName: 'ctx.json' });
    expect(file.path.endsWith('/ctx.json')).toBe(true);
    expect(readFileSync(file.path, 'utf8')).toBe('{"secrets":{"__proto__":"v"}}\n');
    await file.remove();
  });

  it('refuses keys that are not aliases and file names that are paths, leaving nothing behind', async () => {
    await expect(writeSecretContextFile({ 'payments-api-key': 'x' }, { parent: dir })).rejects.toThrow(
      SecretAliasError,
    );
    await expect(
      writeSecretContextFile({ K: 'x' }, { parent: dir, fileName: '../escape.json' }),
    ).rejects.toThrow(SecretAliasError);
    expect(existsSync(join(dir, 'escape.json'))).toBe(false);
  });
});
