import type { AuditEventInput } from '../audit/audit-event.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SealContext } from '../crypto/envelope-cipher.js';
import { DomainError } from '../../protocol/domain-error.js';
import { toDomainError } from '../errors/to-domain-error.js';
import type { CommitPrecondition } from '../../storage/commit-precondition.js';
import { isKeyringUnavailable, KEYRING_UNAVAILABLE } from '../crypto/keyring-errors.js';
import type { CandidateSecret } from '../../storage/resolution-store.js';
import { isStorageError } from '../../storage/storage-errors.js';
import type { CandidateCache, CheckedCandidate } from './candidate-cache.js';
import type { DataKeyCache } from './data-key-cache.js';
import type { LastUsedTracker } from './last-used-tracker.js';
import { decideNames, type NameDecision } from './resolution-decisions.js';
import type {
  ResolveCallInfo,
  ResolvedValue,
  RunContextInput,
  RunnerIdentity,
  RunnerRefusal,
  RunnerRefusalReason,
} from './resolution-types.js';
import { contextUnderGrant, namesOutsideGrant } from './run-grant-rules.js';
import type { RunGrant, RunGrantVerifier } from './run-grant-verifier.js';
import type { RunnerPolicy } from './runner-policy.js';
import { parseResolveRequest } from './resolve-request-parser.js';

type Outcome = Pick<AuditEventInput, 'outcome' | 'reason'>;

/** What a runner is told when its certificate names no acceptable runner. */
const RUNNER_REFUSALS: Record<RunnerRefusalReason, string> = {
  NO_RUNNER_IDENTITY: 'The client certificate names no runner (no URI SAN and no subject CN).',
  SEVERAL_URI_SANS:
    'The client certificate carries more than one URI SAN; a runner certificate names one identity.',
  CN_NOT_ACCEPTED:
    'The client certificate names its runner only by subject CN, which this resolver does not accept (STRONGROOM_RUNNER_IDENTITY).',
};
type FoundDecision = NameDecision<CheckedCandidate> & { kind: 'found' };

/** What a candidate's sealed value is bound to (a restored copy: the version it was sealed as). */
const sealContextOf = (secret: CandidateSecret): SealContext => ({
  workspaceId: secret.workspaceId,
  secretId: secret.id,
  version: secret.sealedAs ?? secret.version,
  scope: secret.scope,
  ownerId: secret.ownerId,
});

/** Builds the audit record of one name of the current call. */
type RecordFor = (
  name: string,
  outcome: Outcome,
  decision?: NameDecision<CheckedCandidate> & { kind: 'found' | 'denied' },
) => AuditEventInput;

/**
 * Hands decrypted values to runners (SPEC §6, §8). Every call writes one audit
 * record per requested name — resolved or refused — and commits them before any
 * value is returned: when the audit write fails, the call fails and nothing leaves.
 *
 * Candidates may come from the candidate cache; a call served from it commits its
 * records only under the read's precondition (its workspace's generation has not moved
 * since, checked in the audit transaction). If it fails, nothing was written or sent,
 * and the call is decided again from a lookup sent after it arrived, which needs no
 * such check. Values are opened with the data keys the data-key cache keeps.
 */
export function createResolutionService({
  candidates,
  dataKeys,
  auditLog,
  policy,
  runGrants = { mode: 'optional' },
  lastUsed,
  clock = () => new Date(),
}: {
  candidates: Pick<CandidateCache, 'find' | 'invalidate'>;
  dataKeys: Pick<DataKeyCache, 'open' | 'openKept'>;
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  policy: RunnerPolicy;
  /**
   * Whether a call needs a run grant, and who verifies one (SPEC §6.1). Optional mode
   * takes a call without a grant at its word, as before grants existed.
   */
  runGrants?: { mode: 'required' | 'optional'; verifier?: Pick<RunGrantVerifier, 'verify'> };
  lastUsed?: Pick<LastUsedTracker, 'markUsed'>;
  /** What "now" is for expiry (SPEC §5.1). */
  clock?: () => Date;
}) {
  /**
   * Fail closed: a resolve whose records are not committed is not served. With a
   * `precondition`, its failure passes through for the caller to decide again.
   */
  async function audit(records: AuditEventInput[], precondition?: CommitPrecondition): Promise<void> {
    try {
      await auditLog.appendCommitted(records, precondition && { preconditions: [precondition] });
    } catch (error) {
      if (isStorageError(error, 'precondition-failed')) throw error;
      throw new DomainError(
        'UNAVAILABLE',
        'The audit log could not be written, so nothing was resolved; retry later.',
        {
          details: { retryable: true },
          cause: error,
        },
      );
    }
  }

  const throwIfAborted = (signal: ResolveCallInfo['signal']): void => {
    if (signal?.aborted)
      throw new DomainError('DEADLINE_EXCEEDED', 'The caller gave up before the resolve finished.');
  };

  /** Audits an authentication refusal of the call (one record) and throws it. */
  async function refuseUnauthenticated(
    base: AuditEventInput,
    reason: string,
    error: DomainError,
  ): Promise<never> {
    await audit([{ ...base, action: 'auth.denied', outcome: 'DENIED', reason }]);
    throw error;
  }

  /**
   * The run grant of a call, verified; undefined when none was sent and none is
   * required. Every refusal is audited.
   */
  async function grantOf(runGrant: string | undefined, base: AuditEventInput): Promise<RunGrant | undefined> {
    if (!runGrant) {
      if (runGrants.mode === 'optional') return undefined;
      return refuseUnauthenticated(
        base,
        'NO_RUN_GRANT',
        new DomainError('UNAUTHENTICATED', 'A run grant is required: the platform signs whose run this is.', {
          details: { reason: 'NO_RUN_GRANT' },
        }),
      );
    }
    if (!runGrants.verifier) {
      throw new DomainError('INTERNAL', 'This resolver has no run grant verifier configured.');
    }
    try {
      return await runGrants.verifier.verify(runGrant);
    } catch (thrown) {
      const error = toDomainError(thrown);
      if (error.code !== 'UNAUTHENTICATED') throw error;
      return refuseUnauthenticated(base, String(error.details.reason ?? 'GRANT_INVALID'), error);
    }
  }

  /**
   * Resolves `names` for one run, all or nothing, in request order (duplicates once).
   * `runner` is a refusal when the certificate names no acceptable runner. With a run
   * grant, the run context and the principal come from the grant alone (SPEC §6.1).
   */
  async function resolveForRun(
    runner: RunnerIdentity | RunnerRefusal,
    wire: RunContextInput | undefined,
    names: readonly string[],
    call: ResolveCallInfo,
    runGrant?: string,
  ): Promise<ResolvedValue[]> {
    const runnerId = 'id' in runner ? runner.id : undefined;
    const base: AuditEventInput = {
      action: 'secret.resolve',
      outcome: 'ERROR',
      actorType: 'runner',
      actorId: runnerId,
      runner: runnerId,
      requestId: call.requestId,
      sourceAddress: call.sourceAddress,
      workspaceId: wire?.workspaceId,
      workflowId: wire?.workflowId,
      runId: wire?.runId,
      trigger: wire?.trigger,
      triggeredBy: wire?.triggeredBy,
      workflowOwner: wire?.workflowOwner,
      stepId: wire?.stepId,
    };
    if (!('id' in runner)) {
      return refuseUnauthenticated(
        base,
        runner.refusal,
        new DomainError('UNAUTHENTICATED', RUNNER_REFUSALS[runner.refusal], {
          details: { reason: runner.refusal },
        }),
      );
    }
    const grant = await grantOf(runGrant, base);
    let input = wire;
    if (grant) {
      base.grantId = grant.grantId;
      try {
        if (grant.runner !== runner.id) {
          throw new DomainError('FORBIDDEN', 'The run grant was issued to another runner.', {
            details: { reason: 'GRANT_FOR_ANOTHER_RUNNER' },
          });
        }
        input = contextUnderGrant(grant, wire);
      } catch (error) {
        const denied = error as DomainError;
        await audit([{ ...base, outcome: 'DENIED', reason: String(denied.details.reason) }]);
        throw denied;
      }
    }
    let request;
    try {
      request = parseResolveRequest(input, names);
    } catch (error) {
      await audit([{ ...base, reason: `INVALID_ARGUMENT: ${(error as DomainError).details.field ?? ''}` }]);
      throw error;
    }
    const { context } = request;
    const grantId = grant?.grantId ?? '';
    // Every field in one literal, in one order: these are built for every name of
    // every call, and objects of one shape keep that cheap.
    const perName: RecordFor = (name, { outcome, reason }, secret) => ({
      action: 'secret.resolve',
      outcome,
      reason,
      actorType: 'runner',
      actorId: runner.id,
      runner: runner.id,
      requestId: call.requestId,
      sourceAddress: call.sourceAddress,
      workspaceId: context.workspaceId,
      workflowId: context.workflowId,
      runId: context.runId,
      trigger: context.trigger,
      secretName: name,
      secretId: secret?.secret.id,
      scope: secret?.secret.scope,
      version: secret?.secret.version,
      principal: context.principal,
      triggeredBy: context.triggeredBy,
      workflowOwner: context.workflowOwner,
      stepId: context.stepId,
      grantId,
    });

    const outside = grant ? namesOutsideGrant(grant, request.names) : [];
    if (outside.length > 0) {
      const notAllowed = new Set(outside);
      await audit(
        request.names.map((name) =>
          notAllowed.has(name)
            ? perName(name, { outcome: 'DENIED', reason: 'NAME_NOT_IN_GRANT' })
            : perName(name, { outcome: 'ERROR', reason: 'NOT_SENT: call refused PERMISSION_DENIED' }),
        ),
      );
      throw new DomainError('FORBIDDEN', `The run grant does not allow: ${outside.join(', ')}.`, {
        details: { reason: 'NAME_NOT_IN_GRANT', deniedNames: outside },
      });
    }

    if (!policy.allows(runner.id, context.workspaceId)) {
      await audit(
        request.names.map((name) => perName(name, { outcome: 'DENIED', reason: 'RUNNER_NOT_ALLOWED' })),
      );
      throw new DomainError(
        'FORBIDDEN',
        `Runner ${runner.id} may not resolve secrets for workspace ${context.workspaceId}.`,
      );
    }

    // Kept candidates first; if the workspace moved meanwhile, once more from a fresh lookup.
    for (const fresh of [false, true]) {
      throwIfAborted(call.signal);
      // One read: the candidates come with the principal's membership of each.
      const read = await candidates.find(context.workspaceId, context.principal, request.names, { fresh });
      try {
        return await serve(
          request.names,
          context.principal,
          read.candidates,
          perName,
          call.signal,
          read.precondition,
        );
      } catch (error) {
        if (!isStorageError(error, 'precondition-failed')) throw error;
        candidates.invalidate(context.workspaceId);
      }
    }
    // Unreachable: a fresh read carries no precondition, so it cannot be refused for one.
    throw new DomainError('INTERNAL', 'The resolve could not be decided.');
  }

  /** Decides, decrypts and audits one call from one read of its candidates. */
  async function serve(
    names: string[],
    principal: string,
    read: CheckedCandidate[],
    perName: RecordFor,
    signal: ResolveCallInfo['signal'],
    precondition: CommitPrecondition | undefined,
  ): Promise<ResolvedValue[]> {
    const decisions = decideNames(names, principal, read);
    if (decisions.some((d) => d.kind !== 'missing' && !d.secret.stateValid))
      await refuseTampered(decisions, perName, precondition);
    if (decisions.some((d) => d.kind !== 'found'))
      await refuseUnlessAllFound(decisions, perName, precondition);

    throwIfAborted(signal);
    const found = decisions.filter((d): d is FoundDecision => d.kind === 'found');
    const now = clock().getTime();
    if (found.some((d) => isExpired(d.secret, now))) await refuseExpired(found, now, perName, precondition);
    const values = await openAll(found, perName, precondition);

    // The records are committed before the values are returned to the transport.
    throwIfAborted(signal);
    await audit(
      found.map((d) => perName(d.name, { outcome: 'SUCCESS' }, d)),
      precondition,
    );
    lastUsed?.markUsed(found.map((d) => d.secret.id));
    return values;
  }

  /**
   * A secret whose state does not match its tag was changed behind the services' back
   * (SPEC §8.1): no value of the call is sent, each such name is audited ERROR /
   * INTEGRITY, the others as not sent, and the call fails DATA_LOSS.
   */
  async function refuseTampered(
    decisions: Array<NameDecision<CheckedCandidate>>,
    perName: RecordFor,
    precondition: CommitPrecondition | undefined,
  ): Promise<never> {
    const tampered = decisions.filter((d) => d.kind !== 'missing' && !d.secret.stateValid).map((d) => d.name);
    await audit(
      decisions.map((d) =>
        d.kind === 'missing'
          ? perName(d.name, { outcome: 'ERROR', reason: 'NOT_SENT: call refused DATA_LOSS' })
          : perName(
              d.name,
              {
                outcome: 'ERROR',
                reason: d.secret.stateValid ? 'NOT_SENT: call refused DATA_LOSS' : 'INTEGRITY',
              },
              d,
            ),
      ),
      precondition,
    );
    throw new DomainError(
      'DATA_LOSS',
      `The stored state of ${tampered.join(', ')} failed its integrity check; nothing was sent.`,
      { details: { tamperedNames: tampered } },
    );
  }

  /**
   * An expired secret is not served (SPEC §5.1): each expired name is audited DENIED /
   * EXPIRED, the others as not sent, and the call fails FAILED_PRECONDITION naming every
   * expired name.
   */
  async function refuseExpired(
    found: FoundDecision[],
    now: number,
    perName: RecordFor,
    precondition: CommitPrecondition | undefined,
  ): Promise<never> {
    const expired = found.filter((d) => isExpired(d.secret, now)).map((d) => d.name);
    await audit(
      found.map((d) =>
        isExpired(d.secret, now)
          ? perName(d.name, { outcome: 'DENIED', reason: 'EXPIRED' }, d)
          : perName(d.name, { outcome: 'ERROR', reason: 'NOT_SENT: call refused FAILED_PRECONDITION' }, d),
      ),
      precondition,
    );
    throw new DomainError(
      'FAILED_PRECONDITION',
      `${expired.length} secret(s) expired: ${expired.join(', ')}.`,
      {
        details: { expiredNames: expired },
      },
    );
  }

  /** Denied names win over missing ones; either way every name is audited and nothing is returned. */
  async function refuseUnlessAllFound(
    decisions: Array<NameDecision<CheckedCandidate>>,
    perName: RecordFor,
    precondition: CommitPrecondition | undefined,
  ): Promise<void> {
    const denied = decisions.filter((d) => d.kind === 'denied').map((d) => d.name);
    const missing = decisions.filter((d) => d.kind === 'missing').map((d) => d.name);
    if (denied.length === 0 && missing.length === 0) return;
    const refusal = denied.length > 0 ? 'PERMISSION_DENIED' : 'NOT_FOUND';
    await audit(
      decisions.map((d) =>
        d.kind === 'denied'
          ? perName(d.name, { outcome: 'DENIED', reason: 'RESTRICTED_NOT_MEMBER' }, d)
          : d.kind === 'missing'
            ? perName(d.name, { outcome: 'NOT_FOUND' })
            : perName(d.name, { outcome: 'ERROR', reason: `NOT_SENT: call refused ${refusal}` }, d),
      ),
      precondition,
    );
    if (denied.length > 0) {
      throw new DomainError(
        'FORBIDDEN',
        `The run's principal is not a member of restricted secret(s): ${denied.join(', ')}.`,
        { details: { deniedNames: denied } },
      );
    }
    throw new DomainError('NOT_FOUND', `${missing.length} secret(s) not found: ${missing.join(', ')}.`, {
      details: { missingNames: missing },
    });
  }

  /**
   * Every value decrypted in this turn when each one's data key is kept (the usual
   * case on a busy resolver), with no promise per value; undefined if any is not kept.
   */
  function openKept(found: FoundDecision[]): PromiseSettledResult<string>[] | undefined {
    const results: PromiseSettledResult<string>[] = [];
    for (const { secret } of found) {
      try {
        const value = dataKeys.openKept(secret.sealed, sealContextOf(secret));
        if (value === undefined) return undefined;
        results.push({ status: 'fulfilled', value });
      } catch (reason) {
        results.push({ status: 'rejected', reason });
      }
    }
    return results;
  }

  /** Every value, unwrapping the data keys that are not kept. */
  function openUnwrapping(found: FoundDecision[]): Promise<PromiseSettledResult<string>[]> {
    return Promise.allSettled(found.map(({ secret }) => dataKeys.open(secret.sealed, sealContextOf(secret))));
  }

  /** Decrypts every found secret; one that fails its integrity check fails the call (audited). */
  async function openAll(
    found: FoundDecision[],
    perName: RecordFor,
    precondition: CommitPrecondition | undefined,
  ): Promise<ResolvedValue[]> {
    const results = openKept(found) ?? (await openUnwrapping(found));
    if (results.every((r) => r.status === 'fulfilled')) {
      return found.map((d, i) => ({
        name: d.name,
        value: (results[i] as PromiseFulfilledResult<string>).value,
        scope: d.secret.scope,
        version: d.secret.version,
      }));
    }
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    await audit(
      found.map((d, i) =>
        perName(
          d.name,
          {
            outcome: 'ERROR',
            reason: openFailureReason(results[i]),
          },
          d,
        ),
      ),
      precondition,
    );
    throw toDomainError(failure.reason);
  }

  return { resolveForRun };
}

export type ResolutionService = ReturnType<typeof createResolutionService>;

/** Whether a candidate's expiry has passed at `now` (ms). */
export const isExpired = (secret: Pick<CandidateSecret, 'expiresAt'>, now: number): boolean =>
  secret.expiresAt !== null && secret.expiresAt.getTime() <= now;

/** The audit reason of a value that was not sent: its own failure, or another name's. */
function openFailureReason(result: PromiseSettledResult<string> | undefined): string {
  if (result?.status !== 'rejected') return 'NOT_SENT: call failed';
  // The key provider not answering is an outage, not a damaged value.
  return isKeyringUnavailable(result.reason) ? KEYRING_UNAVAILABLE : 'DECRYPT_FAILED';
}
