import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from './certificates.js';

/** The files of a development certificate set, by role. */
export interface DevCertificatePaths {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  runnerCert: string;
  runnerKey: string;
}

/** The identity the development runner certificate carries (SAN URI, subject CN). */
export const DEV_RUNNER_URI = 'spiffe://strongroom/runner/dev';
export const DEV_RUNNER_CN = 'dev-runner';

/** Where a development certificate set lives inside `dir`. */
export function devCertificatePaths(dir: string): DevCertificatePaths {
  return {
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
    runnerCert: join(dir, 'runner.pem'),
    runnerKey: join(dir, 'runner-key.pem'),
  };
}

/**
 * Writes a fresh development set into `dir`: one CA that signs both the resolver's
 * server certificate (localhost, 127.0.0.1, ::1) and a runner client certificate.
 * Private keys are written mode 0600; certificates 0644.
 */
export async function writeDevCertificates(dir: string): Promise<DevCertificatePaths> {
  const paths = devCertificatePaths(dir);
  const ca = await createCertificateAuthority('Strongroom development CA');
  const server = await issueCertificate(ca, {
    commonName: 'localhost',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
  });
  const runner = await issueCertificate(ca, {
    commonName: DEV_RUNNER_CN,
    usage: 'client',
    uris: [DEV_RUNNER_URI],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const write = (path: string, text: string, mode: number) => {
    writeFileSync(path, text, { mode });
    chmodSync(path, mode); // writeFileSync keeps the mode of a file that already existed
  };
  write(paths.caKey, ca.keyPem, 0o600);
  write(paths.serverKey, server.keyPem, 0o600);
  write(paths.runnerKey, runner.keyPem, 0o600);
  write(paths.caCert, ca.certPem, 0o644);
  write(paths.serverCert, server.certPem, 0o644);
  write(paths.runnerCert, runner.certPem, 0o644);
  return paths;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** True when every certificate of the set is valid for at least another day. */
function stillValid(paths: DevCertificatePaths, now: Date): boolean {
  try {
    return [paths.caCert, paths.serverCert, paths.runnerCert].every(
      (path) => new Date(new X509Certificate(readFileSync(path)).validTo).getTime() > now.getTime() + DAY_MS,
    );
  } catch {
    return false;
  }
}

/**
 * Development: reuses the set in `dir` when every file is there and not about to
 * expire, otherwise writes a whole new one (a partial set cannot be trusted to
 * match). `created` says which.
 */
export async function ensureDevCertificates(
  dir: string,
  now = new Date(),
): Promise<{ paths: DevCertificatePaths; created: boolean }> {
  const paths = devCertificatePaths(dir);
  if (Object.values(paths).every((path) => existsSync(path)) && stillValid(paths, now)) {
    return { paths, created: false };
  }
  return { paths: await writeDevCertificates(dir), created: true };
}
