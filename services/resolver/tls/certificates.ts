// tsyringe (used inside @peculiar/x509) needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A PEM certificate with its PKCS#8 PEM private key. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

/** A CA that can issue certificates: its certificate, key pair and name. */
export interface CertificateAuthority extends IssuedCertificate {
  subject: string;
  keys: CryptoKeyPair;
}

/** What a leaf certificate says about its holder. */
export interface LeafOptions {
  commonName: string;
  usage: 'server' | 'client';
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

// ECDSA P-256: small, fast to generate, and accepted by every TLS stack the runners use.
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
// WebCrypto from node:crypto, passed explicitly so no library-global provider is relied on.
const crypto = webcrypto;

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const generateKeys = (): Promise<CryptoKeyPair> =>
  crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);

// A positive 128-bit serial: random so reissued dev certificates never collide.
const serialNumber = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
};

/** Exports a private key as PKCS#8 PEM, the form Node's TLS and grpc-js accept. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Creates a self-signed CA that may sign leaf certificates (path length 0). */
export async function createCertificateAuthority(
  commonName: string,
  validity: { notBefore?: Date; notAfter?: Date } = {},
): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const subject = `CN=${commonName}, O=Strongroom`;
  const notBefore = validity.notBefore ?? new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: subject,
      notBefore,
      notAfter: validity.notAfter ?? new Date(notBefore.getTime() + 3650 * DAY_MS),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey), subject, keys };
}

/** Issues a server or client (runner) certificate signed by `ca`. */
export async function issueCertificate(
  ca: CertificateAuthority,
  options: LeafOptions,
): Promise<IssuedCertificate> {
  const keys = await generateKeys();
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const names: x509.JsonGeneralName[] = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(options.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: `CN=${options.commonName}, O=Strongroom`,
      issuer: ca.subject,
      notBefore,
      notAfter: options.notAfter ?? new Date(notBefore.getTime() + 397 * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(
          [options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
          false,
        ),
        ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names, false)] : []),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** The serial number of a PEM certificate, as its revocation list names it. */
export function serialNumberOf(certPem: string): string {
  return new x509.X509Certificate(certPem).serialNumber;
}

/**
 * A certificate revocation list signed by `ca`, revoking the certificates with these
 * serial numbers, valid for `days` (STRONGROOM_RUNNER_CRL). An operator's CA tooling
 * usually makes this; development and the tests make it here.
 */
export async function createRevocationList(
  ca: CertificateAuthority,
  revokedSerials: string[],
  days = 7,
): Promise<string> {
  const now = new Date();
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: ca.subject,
      thisUpdate: new Date(now.getTime() - 60_000),
      nextUpdate: new Date(now.getTime() + days * DAY_MS),
      entries: revokedSerials.map((serialNumber) => ({ serialNumber, revocationDate: now })),
      signingKey: ca.keys.privateKey,
      signingAlgorithm: ALGORITHM,
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey, false, crypto)],
    },
    crypto,
  );
  // OpenSSL (and so Node's TLS) reads the label X509 CRL, not the library's CRL.
  return x509.PemConverter.encode(crl.rawData, 'X509 CRL');
}
