import {
  createCertificateAuthority,
  issueCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../../../services/resolver/tls/certificates.js';

/** Every certificate the resolver suites need, made fresh per suite with the production code. */
export interface TestPki {
  /** The runner CA itself, to sign revocation lists. */
  ca: CertificateAuthority;
  caPem: string;
  server: IssuedCertificate;
  /** Runner with SAN URI spiffe://strongroom/runner/alpha. */
  runnerAlpha: IssuedCertificate;
  /** Runner with only a subject CN: beta-runner (identity cn:beta-runner). */
  runnerBeta: IssuedCertificate;
  /** A runner certificate from a CA the resolver does not trust. */
  foreignRunner: IssuedCertificate;
  /** A runner certificate of the right CA whose validity ended yesterday. */
  expiredRunner: IssuedCertificate;
  /** No URI SAN, and a subject CN that spells the cloud runner's URI. */
  cnSpellingUri: IssuedCertificate;
  /** Two URI SANs: alpha's and the cloud runner's. */
  twoUris: IssuedCertificate;
  /** Runner gamma (a URI SAN), for revoking. */
  runnerGamma: IssuedCertificate;
}

export const RUNNER_CLOUD = 'spiffe://strongroom/runner/cloud';
export const RUNNER_GAMMA = 'spiffe://strongroom/runner/gamma';

export const RUNNER_ALPHA = 'spiffe://strongroom/runner/alpha';
/** Runner beta's subject CN, and the typed identity the resolver reads from it. */
export const RUNNER_BETA_CN = 'beta-runner';
export const RUNNER_BETA = `cn:${RUNNER_BETA_CN}`;

const DAY = 24 * 60 * 60 * 1000;

export async function createTestPki(): Promise<TestPki> {
  const ca = await createCertificateAuthority('Strongroom test runner CA');
  const foreignCa = await createCertificateAuthority('Some other CA');
  return {
    ca,
    caPem: ca.certPem,
    server: await issueCertificate(ca, {
      commonName: 'localhost',
      usage: 'server',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    }),
    runnerAlpha: await issueCertificate(ca, {
      commonName: 'alpha-cn',
      usage: 'client',
      uris: [RUNNER_ALPHA],
    }),
    runnerBeta: await issueCertificate(ca, { commonName: RUNNER_BETA_CN, usage: 'client' }),
    foreignRunner: await issueCertificate(foreignCa, {
      commonName: 'x',
      usage: 'client',
      uris: [RUNNER_ALPHA],
    }),
    expiredRunner: await issueCertificate(ca, {
      commonName: 'expired',
      usage: 'client',
      uris: [RUNNER_ALPHA],
      notBefore: new Date(Date.now() - 3 * DAY),
      notAfter: new Date(Date.now() - DAY),
    }),
    cnSpellingUri: await issueCertificate(ca, { commonName: RUNNER_CLOUD, usage: 'client' }),
    twoUris: await issueCertificate(ca, {
      commonName: 'two-uris',
      usage: 'client',
      uris: [RUNNER_ALPHA, RUNNER_CLOUD],
    }),
    runnerGamma: await issueCertificate(ca, { commonName: 'gamma', usage: 'client', uris: [RUNNER_GAMMA] }),
  };
}
