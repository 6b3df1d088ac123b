import type { PeerCertificate } from 'node:tls';
import type { RunnerIdentity } from '../core/resolution/resolution-types.js';

/**
 * Splits Node's `subjectaltname` string ("URI:a, DNS:b"). Node quotes an entry
 * JSON-style when its value holds a comma or quote, so that is undone too.
 */
export function parseSubjectAltNames(text: string | undefined): Array<{ type: string; value: string }> {
  if (!text) return [];
  const entries: Array<{ type: string; value: string }> = [];
  const pattern = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:,\s*|$)/g;
  for (const match of text.matchAll(pattern)) {
    const type = match[1]!.trim();
    let value = match[2]!;
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        continue; // a malformed quoted entry names no one
      }
    }
    entries.push({ type, value });
  }
  return entries;
}

/**
 * The runner a verified peer certificate names: its first SAN URI (for example
 * spiffe://strongroom/runner/cloud), else its subject CN; null when it names neither.
 * Called only after TLS verified the chain to the runner CA.
 */
export function runnerIdentityFromCertificate(
  certificate: PeerCertificate | undefined,
): RunnerIdentity | null {
  if (!certificate || Object.keys(certificate).length === 0) return null;
  const uri = parseSubjectAltNames(certificate.subjectaltname).find(
    (e) => e.type === 'URI' && e.value !== '',
  );
  if (uri) return { id: uri.value };
  const cn = certificate.subject?.CN;
  const commonName = Array.isArray(cn) ? cn[0] : cn;
  return commonName ? { id: commonName } : null;
}
