import { badInput } from '../errors/domain-error.js';
import { isValidSecretName } from '../secrets/secret-names.js';
import { TRIGGERS, type RunContext, type RunContextInput, type Trigger } from './resolution-types.js';

/** At most this many names per call: a run's references, not a bulk export. */
export const MAX_NAMES_PER_CALL = 100;

const ID_LIMITS = {
  workspaceId: 64,
  workflowId: 128,
  runId: 128,
  triggeredBy: 128,
  workflowOwner: 128,
  stepId: 128,
};

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
  for (const [field, max] of Object.entries(ID_LIMITS) as Array<[keyof typeof ID_LIMITS, number]>) {
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
  return { context: { ...input, trigger, principal }, names: [...new Set(names)] };
}
