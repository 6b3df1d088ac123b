import { performance } from 'node:perf_hooks';
import { generateKeyPair, SignJWT } from 'jose';
import {
  createRunGrantVerifier,
  RUN_GRANT_AUDIENCE,
} from '../services/core/resolution/run-grant-verifier.js';
import { figure, type Figure } from './support/report.js';

const ISSUER = 'https://orchestrator.bench/';
const TOKENS = 2_000;

/**
 * What checking a run grant costs the resolver per call, in this process: a grant seen
 * for the first time (an ES256 signature check, claims parsed, the grant kept) against
 * one seen before (a SHA-256 of the token and a map lookup). No floor: these are
 * costs to add to a call, set beside the call's own CPU in docs/performance.md.
 */
export async function benchRunGrants(): Promise<{ figures: Figure[]; raw: Record<string, number> }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const tokens = await Promise.all(
    Array.from({ length: TOKENS }, (_, i) =>
      new SignJWT({
        wid: 'ws',
        wfid: 'wf',
        run: `run-${i}`,
        trigger: 'MANUAL',
        triggered_by: 'u',
        runner: 'r',
      })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(ISSUER)
        .setAudience(RUN_GRANT_AUDIENCE)
        .setJti(`jti-${i}`)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    ),
  );
  const verifier = createRunGrantVerifier({ keys: publicKey, issuer: ISSUER, maxKept: TOKENS });
  const timeEach = async (work: (token: string) => unknown): Promise<number> => {
    const started = performance.now();
    for (const token of tokens) await work(token);
    return ((performance.now() - started) * 1000) / tokens.length;
  };
  const uncachedUs = await timeEach((token) => verifier.verify(token));
  const cachedUs = await timeEach((token) => verifier.verify(token));
  return {
    figures: [
      figure({ figure: 'run grant check, first use (ES256)', unit: 'µs/call', value: round(uncachedUs) }),
      figure({ figure: 'run grant check, kept grant', unit: 'µs/call', value: round(cachedUs) }),
    ],
    raw: { uncachedUs, cachedUs },
  };
}

const round = (n: number) => Number(n.toFixed(1));
