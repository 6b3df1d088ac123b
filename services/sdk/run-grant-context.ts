import { decodeJwt } from 'jose';
import { DomainError } from '../protocol/domain-error.js';
import { TRIGGERS, type Trigger } from '../protocol/vocabulary.js';
import type { RunContext } from './resolver-client-types.js';

/**
 * The run context a run grant names (SPEC §6.1), read without checking its signature:
 * the resolver checks that, and takes the context from the grant whatever the runner
 * sends. A runner uses this to send a context that agrees with its grant. `stepId` is
 * the runner's own. Throws BAD_USER_INPUT (never echoing the grant) when the text is not
 * a grant.
 */
export function runContextFromGrant(runGrant: string, stepId = ''): RunContext {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(runGrant);
  } catch {
    throw new DomainError('BAD_USER_INPUT', 'the run grant is not a compact JWS (header.payload.signature)', {
      details: { field: 'runGrant' },
    });
  }
  const text = (claim: string): string =>
    typeof claims[claim] === 'string' ? (claims[claim] as string) : '';
  const trigger = text('trigger');
  if (!text('wid') || !TRIGGERS.includes(trigger as Trigger)) {
    throw new DomainError('BAD_USER_INPUT', 'the run grant names no workspace or no valid trigger', {
      details: { field: 'runGrant' },
    });
  }
  return {
    workspaceId: text('wid'),
    workflowId: text('wfid'),
    runId: text('run'),
    trigger: trigger as Trigger,
    triggeredBy: text('triggered_by'),
    workflowOwner: text('workflow_owner'),
    stepId,
  };
}
