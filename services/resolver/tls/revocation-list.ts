// tsyringe (used inside @peculiar/x509) needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/**
 * The serial numbers a PEM certificate revocation list revokes, as upper-case hex
 * without leading zeros (how Node spells a peer certificate's `serialNumber`). Throws
 * when the text is not a CRL: a broken list must not be taken for an empty one.
 */
export function revokedSerials(crlPem: Buffer | string): Set<string> {
  const crl = new x509.X509Crl(typeof crlPem === 'string' ? crlPem : crlPem.toString('utf8'));
  return new Set(crl.entries.map((entry) => normalizeSerial(entry.serialNumber)));
}

/** Upper-case hex without leading zeros: one spelling for every source of a serial number. */
export const normalizeSerial = (hex: string): string => hex.toUpperCase().replace(/^0+(?=.)/, '');
