import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MASTER_KEY_BYTES, validateMasterKeys, type MasterKey } from './keyring.js';

/** The master keys and which one wraps new data keys. */
export interface KeyringContents {
  keys: MasterKey[];
  activeKeyId: string;
}

/**
 * Parses master keys from text. Two forms are accepted:
 * JSON `{"activeKeyId":"k2","keys":{"k1":"<base64>","k2":"<base64>"}}` (the keyring file), or
 * `k1:<base64>,k2:<base64>` (convenient in an environment variable; the last key is active).
 */
export function parseMasterKeys(text: string): KeyringContents {
  const trimmed = text.trim();
  let contents: KeyringContents;
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error('is not valid JSON');
    }
    const { activeKeyId, keys } = (parsed ?? {}) as { activeKeyId?: unknown; keys?: unknown };
    if (typeof activeKeyId !== 'string' || typeof keys !== 'object' || keys === null) {
      throw new Error('must be {"activeKeyId": "...", "keys": {"<id>": "<base64 key>"}}');
    }
    contents = {
      activeKeyId,
      keys: Object.entries(keys as Record<string, unknown>).map(([id, key]) => ({
        id,
        key: decodeKey(id, key),
      })),
    };
  } else {
    const keys = trimmed
      .split(',')
      .filter((part) => part.trim() !== '')
      .map((part) => {
        const separator = part.indexOf(':');
        if (separator <= 0) throw new Error('each entry must be <id>:<base64 key>');
        const id = part.slice(0, separator).trim();
        return { id, key: decodeKey(id, part.slice(separator + 1).trim()) };
      });
    const last = keys.at(-1);
    if (!last) throw new Error('holds no key');
    contents = { keys, activeKeyId: last.id };
  }
  validateMasterKeys(contents.keys, contents.activeKeyId);
  return contents;
}

function decodeKey(id: string, encoded: unknown): Buffer {
  if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new Error(`key "${id}" must be base64`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== MASTER_KEY_BYTES) throw new Error(`key "${id}" must decode to 32 bytes (256 bits)`);
  return key;
}

export function serializeKeyring(contents: KeyringContents): string {
  const keys = Object.fromEntries(contents.keys.map(({ id, key }) => [id, key.toString('base64')]));
  return JSON.stringify({ activeKeyId: contents.activeKeyId, keys }, null, 2) + '\n';
}

/** A new master key with a time-ordered id. */
export function generateMasterKey(now = new Date()): MasterKey {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return { id: `k-${stamp}-${randomBytes(3).toString('hex')}`, key: randomBytes(MASTER_KEY_BYTES) };
}

/** Writes the keyring atomically (temp file + rename) with owner-only permissions. */
export function writeKeyringFile(path: string, contents: KeyringContents): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, serializeKeyring(contents), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

export function readKeyringFile(path: string): KeyringContents {
  return parseMasterKeys(readFileSync(path, 'utf8'));
}

/** Creates the file with one fresh key when it does not exist; returns whether it did. */
export function ensureKeyringFile(path: string): boolean {
  if (existsSync(path)) return false;
  const key = generateMasterKey();
  writeKeyringFile(path, { keys: [key], activeKeyId: key.id });
  return true;
}

/** Adds a new key to the file and makes it active; the old keys stay for unwrapping. */
export function rotateKeyringFile(path: string): MasterKey {
  const contents = readKeyringFile(path);
  const key = generateMasterKey();
  writeKeyringFile(path, { keys: [...contents.keys, key], activeKeyId: key.id });
  return key;
}

/**
 * A keyring source that follows its file: a `keys rotate` in another process is
 * picked up within `recheckMs` without a restart, so running services wrap new
 * data keys with the new active key while `keys rewrap` works through the old ones.
 */
export function createFileKeyringSource(path: string, recheckMs = 1000): () => KeyringContents {
  let contents = readKeyringFile(path);
  let mtimeMs = statSync(path).mtimeMs;
  let checkedAt = Date.now();
  return () => {
    const now = Date.now();
    if (now - checkedAt >= recheckMs) {
      checkedAt = now;
      try {
        const current = statSync(path).mtimeMs;
        if (current !== mtimeMs) {
          contents = readKeyringFile(path);
          mtimeMs = current;
        }
      } catch {
        // A half-written or briefly missing file keeps the keys we have.
      }
    }
    return contents;
  };
}
