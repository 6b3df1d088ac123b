import { DomainError } from '../../protocol/domain-error.js';
import type { RunContextInput } from './resolution-types.js';
import type { RunGrant } from './run-grant-verifier.js';

/** The run context fields a grant fixes, with the wire names a refusal reports. */
const GRANTED_FIELDS = [
  ['workspaceId', 'workspace_id'],
  ['workflowId', 'workflow_id'],
  ['runId', 'run_id'],
  ['trigger', 'trigger'],
  ['triggeredBy', 'triggered_by'],
  ['workflowOwner', 'workflow_owner'],
] as const satisfies ReadonlyArray<readonly [keyof RunGrant & keyof RunContextInput, string]>;

/** A field the runner left empty (or a trigger it left UNSPECIFIED) says nothing. */
const unstated = (value: string): boolean => value === '' || value === 'UNSPECIFIED';

/**
 * The run context a resolve under `grant` is decided with: every field the grant
 * fixes comes from the grant, and the runner may repeat it but never change it. A
 * field that differs is refused (FORBIDDEN, PERMISSION_DENIED on the wire) naming the
 * field; only `step_id`, which the grant does not fix, is the runner's own.
 */
export function contextUnderGrant(grant: RunGrant, input: RunContextInput | undefined): RunContextInput {
  for (const [field, wire] of GRANTED_FIELDS) {
    const stated = input?.[field] ?? '';
    if (!unstated(stated) && stated !== grant[field]) {
      throw new DomainError('FORBIDDEN', `The run context's ${wire} differs from the run grant's.`, {
        details: { reason: 'CONTEXT_DIFFERS_FROM_GRANT', field: wire },
      });
    }
  }
  return {
    workspaceId: grant.workspaceId,
    workflowId: grant.workflowId,
    runId: grant.runId,
    trigger: grant.trigger,
    triggeredBy: grant.triggeredBy,
    workflowOwner: grant.workflowOwner,
    stepId: input?.stepId ?? '',
  };
}

/** The requested names the grant does not allow (none when it does not limit them). */
export function namesOutsideGrant(grant: RunGrant, names: readonly string[]): string[] {
  const allowed = grant.names;
  return allowed ? names.filter((name) => !allowed.has(name)) : [];
}
