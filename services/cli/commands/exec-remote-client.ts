import { readFile } from 'node:fs/promises';
import { DomainError } from '../../protocol/domain-error.js';
import { devCertificatePaths } from '../../resolver/tls/dev-certificates.js';
import { devTlsDir } from '../../resolver/tls/tls-material.js';
import { createResolverClient } from '../../sdk/resolver-client.js';
import type { ResolverConnectionOptions, SecretResolverClient } from '../../sdk/resolver-client-types.js';
import type { CommandContext } from '../command.js';

/** The TLS files of a remote `exec`, by role, with the flag and variable that set each. */
const FILES = [
  {
    role: 'ca',
    option: 'caPath',
    what: 'resolver CA certificate',
    flag: '--ca',
    env: 'STRONGROOM_RESOLVER_CA',
  },
  {
    role: 'cert',
    option: 'certPath',
    what: 'runner certificate',
    flag: '--cert',
    env: 'STRONGROOM_RUNNER_CERT',
  },
  { role: 'key', option: 'keyPath', what: 'runner private key', flag: '--key', env: 'STRONGROOM_RUNNER_KEY' },
] as const;

/**
 * The remote resolver client `strongroom exec` uses: reads the CA, runner
 * certificate and key from the given paths and opens an mTLS client. In
 * development a path not given defaults to the development set in
 * `<dataDir>/tls/` (`ca.pem`, `runner.pem`, `runner-key.pem`) — the files a local
 * `strongroom start` generates — so `exec` against a local resolver needs no
 * flags. Production never guesses: every path must be given.
 */
export async function openRemoteResolverClient(
  options: ResolverConnectionOptions,
  context: Pick<CommandContext, 'config'>,
): Promise<SecretResolverClient> {
  const dev =
    context.config.mode === 'development' ? devCertificatePaths(devTlsDir(context.config)) : undefined;
  const defaults = { ca: dev?.caCert, cert: dev?.runnerCert, key: dev?.runnerKey };

  const pem = { ca: Buffer.alloc(0), cert: Buffer.alloc(0), key: Buffer.alloc(0) };
  for (const file of FILES) {
    const given = options[file.option];
    const path = given ?? defaults[file.role];
    if (!path)
      throw new DomainError('BAD_USER_INPUT', `a remote resolve needs ${file.flag} (or ${file.env})`, {
        details: { field: file.flag.slice(2) },
      });
    try {
      pem[file.role] = await readFile(path);
    } catch (error) {
      // Name the path (never its contents); for a defaulted one, say how it would come to exist.
      const hint = given
        ? ''
        : ` (the development default; start the resolver once to generate it, or pass ${file.flag})`;
      throw new DomainError('BAD_USER_INPUT', `cannot read the ${file.what} ${path}${hint}`, {
        details: { field: file.flag.slice(2) },
        cause: error,
      });
    }
  }
  return createResolverClient({ address: options.address, deadlineMs: options.deadlineMs, ...pem });
}
