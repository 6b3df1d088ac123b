import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DomainError, type DomainErrorCode } from '../../services/protocol/domain-error.js';
import { createLastUsedTracker } from '../../services/core/resolution/last-used-tracker.js';
import { parseRunnerPolicy } from '../../services/core/resolution/runner-policy.js';
import {
  parseSubjectAltNames,
  runnerIdentityFromCertificate,
} from '../../services/resolver/runner-identity.js';
import { GRPC_STATUS_BY_DOMAIN_CODE } from '../../services/protocol/status-codes.js';
import { toGrpcStatus } from '../../services/resolver/status-mapping.js';
import type { PeerCertificate } from 'node:tls';

const peer = (fields: Partial<PeerCertificate>) => ({ subject: {}, ...fields }) as unknown as PeerCertificate;

describe('runner identity', () => {
  it('is the one URI SAN as it is, else the subject CN typed cn:, else nobody', () => {
    expect(
      runnerIdentityFromCertificate(
        peer({
          subjectaltname: 'DNS:runner.local, URI:spiffe://strongroom/runner/a',
          subject: { CN: 'cn' } as never,
        }),
        'uri-or-cn',
      ),
    ).toEqual({ id: 'spiffe://strongroom/runner/a' });
    expect(runnerIdentityFromCertificate(peer({ subject: { CN: 'only-cn' } as never }), 'uri-or-cn')).toEqual(
      {
        id: 'cn:only-cn',
      },
    );
    expect(runnerIdentityFromCertificate(peer({ subjectaltname: 'DNS:x' }), 'uri-or-cn')).toEqual({
      refusal: 'NO_RUNNER_IDENTITY',
    });
    expect(runnerIdentityFromCertificate(undefined, 'uri-or-cn')).toEqual({ refusal: 'NO_RUNNER_IDENTITY' });
  });

  it('never lets a CN pass for a URI identity, and refuses CN identities under the uri rule', () => {
    const spelled = peer({ subject: { CN: 'spiffe://strongroom/runner/cloud' } as never });
    expect(runnerIdentityFromCertificate(spelled, 'uri-or-cn')).toEqual({
      id: 'cn:spiffe://strongroom/runner/cloud',
    });
    expect(runnerIdentityFromCertificate(spelled, 'uri')).toEqual({ refusal: 'CN_NOT_ACCEPTED' });
  });

  it('refuses a certificate with more than one URI SAN instead of letting the first win', () => {
    const twoUris = peer({
      subjectaltname: 'URI:spiffe://strongroom/runner/a, URI:spiffe://strongroom/runner/cloud',
      subject: { CN: 'cn' } as never,
    });
    expect(runnerIdentityFromCertificate(twoUris, 'uri-or-cn')).toEqual({ refusal: 'SEVERAL_URI_SANS' });
    expect(runnerIdentityFromCertificate(twoUris, 'uri')).toEqual({ refusal: 'SEVERAL_URI_SANS' });
  });

  it('undoes the quoting Node applies to SAN values with commas', () => {
    expect(parseSubjectAltNames('URI:"spiffe://a/b,c", DNS:d')).toEqual([
      { type: 'URI', value: 'spiffe://a/b,c' },
      { type: 'DNS', value: 'd' },
    ]);
  });
});

describe('runner policy', () => {
  it('maps identities to workspaces, "*" to all, unknown runners to none', () => {
    const policy = parseRunnerPolicy(
      JSON.stringify({ runners: { 'spiffe://strongroom/runner/cloud': ['*'], 'acme-runner': ['ws-acme'] } }),
    );
    expect(policy.allows('spiffe://strongroom/runner/cloud', 'anything')).toBe(true);
    expect(policy.allows('acme-runner', 'ws-acme')).toBe(true);
    expect(policy.allows('acme-runner', 'ws-other')).toBe(false);
    expect(policy.allows('stranger', 'ws-acme')).toBe(false);
  });

  it('rejects malformed files with a message', () => {
    expect(() => parseRunnerPolicy('{')).toThrow(/not valid JSON/);
    expect(() => parseRunnerPolicy('{"runners":{"a":"ws"}}')).toThrow(/runners\.a/);
    expect(() => parseRunnerPolicy('{"runner":{}}')).toThrow();
  });
});

describe('status mapping', () => {
  it('maps every domain code and sends missing names as a trailer, never the cause', () => {
    const codes: DomainErrorCode[] = [
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'CONFLICT',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
      'RATE_LIMITED',
      'FAILED_PRECONDITION',
      'DATA_LOSS',
      'INTERNAL',
    ];
    expect(Object.keys(GRPC_STATUS_BY_DOMAIN_CODE).sort()).toEqual([...codes].sort());
    expect(GRPC_STATUS_BY_DOMAIN_CODE.DATA_LOSS).toBe(15);
    expect(GRPC_STATUS_BY_DOMAIN_CODE.RATE_LIMITED).toBe(8); // RESOURCE_EXHAUSTED
    expect(GRPC_STATUS_BY_DOMAIN_CODE.FAILED_PRECONDITION).toBe(9);
    const error = new DomainError('NOT_FOUND', '2 secret(s) not found: A, B.', {
      details: { missingNames: ['A', 'B'] },
      cause: new Error('select * from secrets'),
    });
    const grpcStatus = toGrpcStatus(error, 'req-1');
    expect(grpcStatus.code).toBe(5);
    expect(grpcStatus.details).toBe('2 secret(s) not found: A, B.');
    expect(grpcStatus.metadata?.get('missing-names')).toEqual(['A,B']);
    expect(JSON.stringify(grpcStatus)).not.toContain('select');
  });
});

describe('last-used tracker', () => {
  it('writes each secret at most once per flush, with its latest use', async () => {
    const writes: Array<[string, number]> = [];
    let now = 1_000;
    const tracker = createLastUsedTracker({
      store: {
        touchLastUsed: async (uses) =>
          void writes.push(...uses.map((u): [string, number] => [u.secretId, u.at.getTime()])),
      },
      clock: () => new Date(now),
    });
    tracker.markUsed(['a', 'b']);
    now = 2_000;
    tracker.markUsed(['a']);
    await tracker.flush();
    await tracker.flush();
    expect(writes).toEqual([
      ['a', 2_000],
      ['b', 1_000],
    ]);
  });
});

describe('last-used tracker on a failing store', () => {
  it('keeps a failed flush for the next one, unless a newer use replaced it meanwhile', async () => {
    const writes: Array<Array<[string, number]>> = [];
    let failNext = true;
    let now = 1_000;
    const tracker = createLastUsedTracker({
      store: {
        async touchLastUsed(uses) {
          if (failNext) {
            failNext = false;
            // A resolve of b lands while this flush is in flight, then the write fails.
            now = 2_000;
            tracker.markUsed(['b']);
            throw new Error('database unavailable');
          }
          writes.push(uses.map((u): [string, number] => [u.secretId, u.at.getTime()]));
        },
      },
      clock: () => new Date(now),
    });
    tracker.markUsed(['a', 'b']);
    await tracker.flush();
    expect(writes).toEqual([]);
    await tracker.flush();
    expect(writes).toEqual([
      [
        ['b', 2_000],
        ['a', 1_000],
      ],
    ]);
  });
});

describe('proto lint', () => {
  it('passes buf lint', () => {
    expect(() => execFileSync('npx', ['--no-install', 'buf', 'lint'], { stdio: 'pipe' })).not.toThrow();
  });
});
