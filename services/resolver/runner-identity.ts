import type { PeerCertificate } from 'node:tls';
import type { RunnerIdentity, RunnerRefusal } from '../core/resolution/resolution-types.js';

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

/** Which certificate names identify a runner (STRONGROOM_RUNNER_IDENTITY). */
export type RunnerIdentityRule = 'uri' | 'uri-or-cn';

/**
 * The runner a verified peer certificate names, typed by where the name came from: its
 * one URI SAN as it is (for example spiffe://strongroom/runner/cloud), else — only under
 * `uri-or-cn` — its subject CN as `cn:<CN>`, so a CN that spells a URI can never pass
 * for that URI's runner. A certificate with several URI SANs is refused rather than
 * letting the first one win. Called only after TLS verified the chain to the runner CA.
 */
export function runnerIdentityFromCertificate(
  certificate: PeerCertificate | undefined,
  rule: RunnerIdentityRule,
): RunnerIdentity | RunnerRefusal {
  if (!certificate || Object.keys(certificate).length === 0) return { refusal: 'NO_RUNNER_IDENTITY' };
  const uris = parseSubjectAltNames(certificate.subjectaltname).filter(
    (e) => e.type === 'URI' && e.value !== '',
  );
  if (uris.length > 1) return { refusal: 'SEVERAL_URI_SANS' };
  if (uris.length === 1) return { id: uris[0]!.value };
  const cn = certificate.subject?.CN;
  const commonName = Array.isArray(cn) ? cn[0] : cn;
  if (!commonName) return { refusal: 'NO_RUNNER_IDENTITY' };
  return rule === 'uri-or-cn' ? { id: `cn:${commonName}` } : { refusal: 'CN_NOT_ACCEPTED' };
}
