import type { AuditEventInput } from '../audit/audit-event.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { EnvelopeCipher, SealContext } from '../crypto/envelope-cipher.js';
import { DomainError } from '../errors/domain-error.js';
import { isKeyringUnavailable, KEYRING_UNAVAILABLE } from '../crypto/keyring-errors.js';
import type { CandidateSecret } from '../../storage/resolution-store.js';
import { WorkspaceChangedError, type WorkspaceGeneration } from '../secrets/workspace-generation.js';
import type { CandidateCache } from './candidate-cache.js';
import type { LastUsedTracker } from './last-used-tracker.js';
import { decideNames, type NameDecision } from './resolution-decisions.js';
import type { ResolveCallInfo, ResolvedValue, RunContextInput, RunnerIdentity } from './resolution-types.js';
import type { RunnerPolicy } from './runner-policy.js';
import { parseResolveRequest } from './run-context.js';

type Outcome = Pick<AuditEventInput, 'outcome' | 'reason'>;
type FoundDecision = NameDecision & { kind: 'found' };

/** What a candidate's sealed value is bound to. */
const sealContextOf = (secret: CandidateSecret): SealContext => ({
  workspaceId: secret.workspaceId,
  secretId: secret.id,
  version: secret.version,
});

/** Builds the audit record of one name of the current call. */
type RecordFor = (
  name: string,
  outcome: Outcome,
  decision?: NameDecision & { kind: 'found' | 'denied' },
) => AuditEventInput;

/**
 * Hands decrypted values to runners (SPEC §6, §8). Every call writes one audit
 * record per requested name — resolved or refused — and commits them before any
 * value is returned: when the audit write fails, the call fails and nothing leaves.
 *
 * Candidates may come from the candidate cache; a call served from it commits its
 * records only if the workspace's generation has not moved since (checked in the
 * audit transaction). If it has, nothing was written or sent, and the call is decided
 * again from a lookup sent after it arrived, which needs no such check.
 */
export function createResolutionService({
  candidates,
  cipher,
  auditLog,
  policy,
  lastUsed,
}: {
  candidates: Pick<CandidateCache, 'find' | 'invalidate'>;
  cipher: Pick<EnvelopeCipher, 'open' | 'openKept'>;
  auditLog: Pick<AuditLog, 'appendCommitted'>;
  policy: RunnerPolicy;
  lastUsed?: Pick<LastUsedTracker, 'markUsed'>;
}) {
  /**
   * Fail closed: a resolve whose records are not committed is not served. With
   * `unchanged`, WorkspaceChangedError passes through for the caller to decide again.
   */
  async function audit(records: AuditEventInput[], unchanged?: WorkspaceGeneration[]): Promise<void> {
    try {
      await auditLog.appendCommitted(records, unchanged && { unchanged });
    } catch (error) {
      if (error instanceof WorkspaceChangedError) throw error;
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

  /**
   * Resolves `names` for one run, all or nothing, in request order (duplicates once).
   * `runner` is null when the certificate carried no usable identity.
   */
  async function resolveForRun(
    runner: RunnerIdentity | null,
    input: RunContextInput | undefined,
    names: readonly string[],
    call: ResolveCallInfo,
  ): Promise<ResolvedValue[]> {
    const base: AuditEventInput = {
      action: 'secret.resolve',
      outcome: 'ERROR',
      actorType: 'runner',
      actorId: runner?.id,
      runner: runner?.id,
      requestId: call.requestId,
      sourceAddress: call.sourceAddress,
      workspaceId: input?.workspaceId,
      workflowId: input?.workflowId,
      runId: input?.runId,
      trigger: input?.trigger,
    };
    if (!runner) {
      await audit([{ ...base, action: 'auth.denied', outcome: 'DENIED', reason: 'NO_RUNNER_IDENTITY' }]);
      throw new DomainError(
        'UNAUTHENTICATED',
        'The client certificate names no runner (no SAN URI and no subject CN).',
      );
    }
    let request;
    try {
      request = parseResolveRequest(input, names);
    } catch (error) {
      await audit([{ ...base, reason: `INVALID_ARGUMENT: ${(error as DomainError).details.field ?? ''}` }]);
      throw error;
    }
    const { context } = request;
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
    });

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
      const unchanged = read.cached
        ? [{ workspaceId: context.workspaceId, generation: read.generation }]
        : undefined;
      try {
        return await serve(
          request.names,
          context.principal,
          read.candidates,
          perName,
          call.signal,
          unchanged,
        );
      } catch (error) {
        if (!(error instanceof WorkspaceChangedError)) throw error;
        candidates.invalidate(context.workspaceId);
      }
    }
    // Unreachable: a fresh read carries no condition, so it cannot be refused as changed.
    throw new DomainError('INTERNAL', 'The resolve could not be decided.');
  }

  /** Decides, decrypts and audits one call from one read of its candidates. */
  async function serve(
    names: string[],
    principal: string,
    read: CandidateSecret[],
    perName: RecordFor,
    signal: ResolveCallInfo['signal'],
    unchanged: WorkspaceGeneration[] | undefined,
  ): Promise<ResolvedValue[]> {
    const decisions = decideNames(names, principal, read);
    if (decisions.some((d) => d.kind !== 'found')) await refuseUnlessAllFound(decisions, perName, unchanged);

    throwIfAborted(signal);
    const found = decisions.filter((d): d is FoundDecision => d.kind === 'found');
    const values = await openAll(found, perName, unchanged);

    // The records are committed before the values are returned to the transport.
    throwIfAborted(signal);
    await audit(
      found.map((d) => perName(d.name, { outcome: 'SUCCESS' }, d)),
      unchanged,
    );
    lastUsed?.markUsed(found.map((d) => d.secret.id));
    return values;
  }

  /** Denied names win over missing ones; either way every name is audited and nothing is returned. */
  async function refuseUnlessAllFound(
    decisions: NameDecision[],
    perName: RecordFor,
    unchanged: WorkspaceGeneration[] | undefined,
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
      unchanged,
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
        const value = cipher.openKept(secret.sealed, sealContextOf(secret));
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
    return Promise.allSettled(found.map(({ secret }) => cipher.open(secret.sealed, sealContextOf(secret))));
  }

  /** Decrypts every found secret; one that fails its integrity check fails the call (audited). */
  async function openAll(
    found: FoundDecision[],
    perName: RecordFor,
    unchanged: WorkspaceGeneration[] | undefined,
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
      unchanged,
    );
    throw DomainError.from(failure.reason);
  }

  return { resolveForRun };
}

export type ResolutionService = ReturnType<typeof createResolutionService>;

/** The audit reason of a value that was not sent: its own failure, or another name's. */
function openFailureReason(result: PromiseSettledResult<string> | undefined): string {
  if (result?.status !== 'rejected') return 'NOT_SENT: call failed';
  // The key provider not answering is an outage, not a damaged value.
  return isKeyringUnavailable(result.reason) ? KEYRING_UNAVAILABLE : 'DECRYPT_FAILED';
}
