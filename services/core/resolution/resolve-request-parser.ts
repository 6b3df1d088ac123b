import { badInput } from '../../protocol/domain-error.js';
import { isValidSecretName } from '../../protocol/secret-names.js';
import { TRIGGERS, type Trigger } from '../../protocol/vocabulary.js';
import type { RunContext, RunContextInput } from './resolution-types.js';

/** At most this many names per call: a run's references, not a bulk export. */
export const MAX_NAMES_PER_CALL = 100;

const ID_LIMITS = Object.entries({
  workspaceId: 64,
  workflowId: 128,
  runId: 128,
  triggeredBy: 128,
  workflowOwner: 128,
  stepId: 128,
}) as Array<[keyof RunContextInput, number]>;

/**
 * Checks a resolve request and picks the run's principal: the triggering user for
 * MANUAL runs, the workflow owner for every other trigger. Throws BAD_USER_INPUT
 * naming the field. Returns the names without duplicates, in request order.
 */
export function parseResolveRequest(
  input: RunContextInput | undefined,
  names: readonly string[],
): { context: RunContext; names: string[] } {
  if (!input) throw badInput('context', 'A run context is required.');
  for (const [field, max] of ID_LIMITS) {
    if (input[field].length > max) throw badInput(field, `${field} holds at most ${max} characters.`);
  }
  if (input.workspaceId === '') throw badInput('workspace_id', 'workspace_id is required.');
  if (!TRIGGERS.includes(input.trigger as Trigger)) {
    throw badInput('trigger', 'trigger must be MANUAL, API, WEBHOOK or SCHEDULE.');
  }
  const trigger = input.trigger as Trigger;
  const principal = trigger === 'MANUAL' ? input.triggeredBy : input.workflowOwner;
  if (principal === '') {
    const field = trigger === 'MANUAL' ? 'triggered_by' : 'workflow_owner';
    throw badInput(
      field,
      `${field} is required for ${trigger} runs: it decides whose personal secrets apply.`,
    );
  }
  if (names.length === 0 || names.length > MAX_NAMES_PER_CALL) {
    throw badInput('names', `names must hold 1 to ${MAX_NAMES_PER_CALL} secret names.`);
  }
  const invalid = names.findIndex((name) => !isValidSecretName(name));
  if (invalid >= 0) {
    throw badInput(
      'names',
      `names[${invalid}] is not a valid secret name: a letter or underscore, then at most 127 letters, digits, underscores or hyphens.`,
    );
  }
  // Every field in one literal: `{ ...input, principal }` builds a new hidden class on
  // every call in this V8 (a runtime transition each time), and this runs per resolve.
  const context: RunContext = {
    workspaceId: input.workspaceId,
    workflowId: input.workflowId,
    runId: input.runId,
    trigger,
    triggeredBy: input.triggeredBy,
    workflowOwner: input.workflowOwner,
    stepId: input.stepId,
    principal,
  };
  return { context, names: [...new Set(names)] };
}
