import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../core/config/config.js';
import { ensureDevCertificates, type DevCertificatePaths } from './dev-certificates.js';

/** The PEM files the resolver serves with, and where each came from. */
export interface TlsMaterial {
  certPem: Buffer;
  keyPem: Buffer;
  runnerCaPem: Buffer;
  paths: { cert: string; key: string; runnerCa: string };
  /** Set when development generated a certificate set in the data dir just now. */
  generated?: DevCertificatePaths;
}

/** The directory development keeps its certificate set in. */
export const devTlsDir = (config: Pick<Config, 'dataDir'>): string => join(config.dataDir, 'tls');

/**
 * Reads the resolver's TLS files. Explicit STRONGROOM_TLS_* paths always win.
 * Development fills what is unset from `<dataDir>/tls/`, generating that set when
 * missing; production has every path set (config refuses to start otherwise).
 */
export async function loadTlsMaterial(
  config: Pick<Config, 'mode' | 'dataDir' | 'tls'>,
): Promise<TlsMaterial> {
  const { certPath, keyPath, runnerCaPath } = config.tls;
  let dev: { paths: DevCertificatePaths; created: boolean } | undefined;
  if (!certPath || !keyPath || !runnerCaPath) {
    if (config.mode === 'production') {
      throw new Error('production needs STRONGROOM_TLS_CERT, STRONGROOM_TLS_KEY and STRONGROOM_RUNNER_CA');
    }
    dev = await ensureDevCertificates(devTlsDir(config));
  }
  const paths = {
    cert: certPath ?? dev!.paths.serverCert,
    key: keyPath ?? dev!.paths.serverKey,
    runnerCa: runnerCaPath ?? dev!.paths.caCert,
  };
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read the ${what} at ${path}: ${(error as Error).message}`);
    }
  };
  return {
    certPem: read(paths.cert, 'resolver TLS certificate'),
    keyPem: read(paths.key, 'resolver TLS private key'),
    runnerCaPem: read(paths.runnerCa, 'runner CA certificate'),
    paths,
    generated: dev?.created ? dev.paths : undefined,
  };
}
