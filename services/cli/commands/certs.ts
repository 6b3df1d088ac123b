import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEV_RUNNER_URI,
  devCertificatePaths,
  writeDevCertificates,
} from '../../resolver/tls/dev-certificates.js';
import type { CommandContext } from '../command.js';

const USAGE = 'usage: strongroom certs dev --out DIR [--force]';

/**
 * `strongroom certs dev --out DIR [--force]`: a development CA, a resolver server
 * certificate (localhost, 127.0.0.1, ::1) and a runner client certificate
 * (SAN URI spiffe://strongroom/runner/dev, CN dev-runner). Keys are mode 0600.
 */
export async function certsCommand({ args, out, err }: CommandContext): Promise<number> {
  const [action, ...rest] = args;
  const outIndex = rest.indexOf('--out');
  const dir = outIndex >= 0 ? rest[outIndex + 1] : undefined;
  if (action !== 'dev' || !dir || dir.startsWith('--')) {
    err(USAGE);
    return 2;
  }
  const target = resolve(dir);
  const existing = Object.values(devCertificatePaths(target)).filter((path) => existsSync(path));
  if (existing.length > 0 && !rest.includes('--force')) {
    err(`${target} already holds certificates (${existing.join(', ')}); pass --force to replace them`);
    return 1;
  }
  const paths = await writeDevCertificates(target);
  out(`wrote a development certificate set to ${target}:`);
  out(`  CA certificate      ${paths.caCert}   (STRONGROOM_RUNNER_CA; runners trust it for the server)`);
  out(`  CA key              ${paths.caKey}`);
  out(`  server certificate  ${paths.serverCert}   (STRONGROOM_TLS_CERT)`);
  out(`  server key          ${paths.serverKey}   (STRONGROOM_TLS_KEY)`);
  out(`  runner certificate  ${paths.runnerCert}   (identity ${DEV_RUNNER_URI})`);
  out(`  runner key          ${paths.runnerKey}`);
  return 0;
}
