import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from '../../services/resolver/tls/certificates.js';

/** A runner CA, the resolver's certificate and one runner's certificate, as files and PEM text. */
export interface BenchPki {
  dir: string;
  caPem: string;
  runner: { certPem: string; keyPem: string };
  /** `STRONGROOM_TLS_*` and `STRONGROOM_RUNNER_CA` for every server of the bench. */
  env: Record<string, string>;
}

export const BENCH_RUNNER = 'spiffe://strongroom/runner/bench';

export async function createBenchPki(): Promise<BenchPki> {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-bench-pki-'));
  const ca = await createCertificateAuthority('Strongroom bench runner CA');
  const server = await issueCertificate(ca, {
    commonName: 'localhost',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const runner = await issueCertificate(ca, { commonName: 'bench', usage: 'client', uris: [BENCH_RUNNER] });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  return {
    dir,
    caPem: ca.certPem,
    runner,
    env: {
      STRONGROOM_TLS_CERT: file('server.pem', server.certPem),
      STRONGROOM_TLS_KEY: file('server-key.pem', server.keyPem),
      STRONGROOM_RUNNER_CA: file('ca.pem', ca.certPem),
    },
  };
}
