import type { ResolvedValue, RunContextInput } from '../core/resolution/resolution-types.js';
import type { SecretScope } from '../storage/entities/secret-entity.js';
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  Scope,
  Trigger,
  type ResolvedSecretSchema,
  type RunContext,
} from './gen/strongroom/resolver/v1/resolver_pb.js';

const TRIGGER_NAMES: Partial<Record<Trigger, string>> = {
  [Trigger.MANUAL]: 'MANUAL',
  [Trigger.API]: 'API',
  [Trigger.WEBHOOK]: 'WEBHOOK',
  [Trigger.SCHEDULE]: 'SCHEDULE',
};

const SCOPES: Record<SecretScope, Scope> = {
  WORKSPACE: Scope.WORKSPACE,
  PERSONAL: Scope.PERSONAL,
};

/** The wire run context in domain terms; an unspecified or unknown trigger stays visible as such for validation. */
export function runContextFromProto(context: RunContext | undefined): RunContextInput | undefined {
  if (!context) return undefined;
  return {
    workspaceId: context.workspaceId,
    workflowId: context.workflowId,
    runId: context.runId,
    trigger:
      TRIGGER_NAMES[context.trigger] ??
      (context.trigger === Trigger.UNSPECIFIED ? 'UNSPECIFIED' : `UNKNOWN_${context.trigger}`),
    triggeredBy: context.triggeredBy,
    workflowOwner: context.workflowOwner,
    stepId: context.stepId,
  };
}

/** A resolved value as the wire message. */
export function resolvedSecretToProto(value: ResolvedValue): MessageInitShape<typeof ResolvedSecretSchema> {
  return { name: value.name, value: value.value, scope: SCOPES[value.scope], version: value.version };
}
