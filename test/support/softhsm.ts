import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's softhsm2 package puts the PKCS#11 module. */
export const SOFTHSM_LIBRARY =
  ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'].find((path) =>
    existsSync(path),
  ) ?? '/usr/lib/softhsm/libsofthsm2.so';

/** One initialised token of a SoftHSM2 set-up, and the variables that point Strongroom at it. */
export interface SoftHsmToken {
  label: string;
  pin: string;
  /** A file holding the PIN (mode 0600), as production wants it. */
  pinFile: string;
  /** STRONGROOM_KEYRING=pkcs11 with this token and `keyLabel` (SOFTHSM2_CONF included). */
  env(keyLabel: string): Record<string, string>;
  /** Creates an AES-256 master key as an operator would: pkcs11-tool, sensitive, private. */
  createKey(label: string): Promise<void>;
  /** What pkcs11-tool lists of the token's objects (labels and their access flags). */
  listObjects(): Promise<string>;
}

/**
 * A SoftHSM2 set-up of its own in a temporary directory: a config file that points
 * the library at a token directory there (SOFTHSM2_CONF), tokens initialised with
 * softhsm2-util, keys made with pkcs11-tool — the tools an operator uses, not the
 * code under test. SOFTHSM2_CONF is read when the library initialises: a process that
 * loads it in-process must set it first (`useInThisProcess`).
 */
export function createSoftHsm() {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  const awayDir = join(dir, 'tokens-away');
  mkdirSync(tokenDir, { mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  const toolEnv = { ...process.env, SOFTHSM2_CONF: conf };

  return {
    dir,
    conf,
    /** Points this process's SoftHSM2 at this set-up (before the library is first loaded). */
    useInThisProcess(): void {
      process.env.SOFTHSM2_CONF = conf;
    },

    async initToken(label: string, pin = '1234-test-pin'): Promise<SoftHsmToken> {
      await run(
        'softhsm2-util',
        ['--init-token', '--free', '--label', label, '--so-pin', 'so-pin-5678', '--pin', pin],
        { env: toolEnv },
      );
      const pinFile = join(dir, `${label}.pin`);
      writeFileSync(pinFile, `${pin}\n`, { mode: 0o600 });
      const tool = (...args: string[]) =>
        run(
          'pkcs11-tool',
          ['--module', SOFTHSM_LIBRARY, '--token-label', label, '--login', '--pin', pin, ...args],
          {
            env: toolEnv,
          },
        );
      return {
        label,
        pin,
        pinFile,
        env: (keyLabel) => ({
          SOFTHSM2_CONF: conf,
          STRONGROOM_KEYRING: 'pkcs11',
          STRONGROOM_PKCS11_LIBRARY: SOFTHSM_LIBRARY,
          STRONGROOM_PKCS11_TOKEN_LABEL: label,
          STRONGROOM_PKCS11_KEY_LABEL: keyLabel,
          STRONGROOM_PKCS11_PIN_FILE: pinFile,
        }),
        async createKey(keyLabel) {
          await tool('--keygen', '--key-type', 'AES:32', '--label', keyLabel, '--sensitive', '--private');
        },
        async listObjects() {
          return (await tool('--list-objects', '--type', 'secrkey')).stdout;
        },
      };
    },

    /** The token directory moved away: to the library, every token's objects are gone. */
    takeTokensAway(): void {
      renameSync(tokenDir, awayDir);
    },
    bringTokensBack(): void {
      renameSync(awayDir, tokenDir);
    },

    remove(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type SoftHsm = ReturnType<typeof createSoftHsm>;
