import { createLocalKeyring, type Keyring } from '../crypto/keyring.js';
import { createFileKeyringSource, ensureKeyringFile, parseMasterKeys } from '../crypto/keyring-file.js';
import type { Config } from './config.js';

/**
 * Builds the keyring the config names. Development creates the keyring file in the
 * data dir when missing (mode 0600) and reports it through `onCreated`.
 */
export function loadKeyring(
  config: Pick<Config, 'masterKeys'>,
  onCreated: (path: string) => void = () => {},
): Keyring {
  const source = config.masterKeys;
  switch (source.kind) {
    case 'none':
      throw new Error(
        'no file keyring is configured (STRONGROOM_MASTER_KEYS or STRONGROOM_MASTER_KEYS_FILE)',
      );
    case 'env': {
      let contents;
      try {
        contents = parseMasterKeys(source.text);
      } catch (error) {
        throw new Error(`STRONGROOM_MASTER_KEYS ${(error as Error).message}`);
      }
      return createLocalKeyring(() => contents);
    }
    case 'file':
    case 'dev-file': {
      if (source.kind === 'dev-file' && ensureKeyringFile(source.path)) onCreated(source.path);
      let read;
      try {
        read = createFileKeyringSource(source.path);
      } catch (error) {
        throw new Error(`master key file ${source.path}: ${(error as Error).message}`);
      }
      return createLocalKeyring(read);
    }
  }
}
