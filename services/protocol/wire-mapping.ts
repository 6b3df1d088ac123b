import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  Scope,
  Trigger as ProtoTrigger,
  type RunContext as ProtoRunContext,
  type RunContextSchema,
} from './gen/strongroom/resolver/v1/resolver_pb.js';
import type { SecretScope, Trigger } from './vocabulary.js';

/**
 * The one conversion between the resolver's wire enums and Strongroom's words, used by
 * the resolver (server side) and the runner SDK (client side).
 */
const TRIGGER_TO_PROTO: Record<Trigger, ProtoTrigger> = {
  MANUAL: ProtoTrigger.MANUAL,
  API: ProtoTrigger.API,
  WEBHOOK: ProtoTrigger.WEBHOOK,
  SCHEDULE: ProtoTrigger.SCHEDULE,
};

const TRIGGER_FROM_PROTO: Partial<Record<ProtoTrigger, Trigger>> = {
  [ProtoTrigger.MANUAL]: 'MANUAL',
  [ProtoTrigger.API]: 'API',
  [ProtoTrigger.WEBHOOK]: 'WEBHOOK',
  [ProtoTrigger.SCHEDULE]: 'SCHEDULE',
};

const SCOPE_TO_PROTO: Record<SecretScope, Scope> = {
  WORKSPACE: Scope.WORKSPACE,
  PERSONAL: Scope.PERSONAL,
};

const SCOPE_FROM_PROTO: Partial<Record<Scope, SecretScope>> = {
  [Scope.WORKSPACE]: 'WORKSPACE',
  [Scope.PERSONAL]: 'PERSONAL',
};

/** A trigger on the wire; an unknown one goes out as UNSPECIFIED, which the resolver refuses. */
export const triggerToProto = (trigger: string): ProtoTrigger =>
  TRIGGER_TO_PROTO[trigger as Trigger] ?? ProtoTrigger.UNSPECIFIED;

/** A wire trigger in words; UNSPECIFIED and unknown numbers stay visible as such, for validation. */
export const triggerFromProto = (trigger: ProtoTrigger): string =>
  TRIGGER_FROM_PROTO[trigger] ??
  (trigger === ProtoTrigger.UNSPECIFIED ? 'UNSPECIFIED' : `UNKNOWN_${trigger}`);

export const scopeToProto = (scope: SecretScope): Scope => SCOPE_TO_PROTO[scope];

/** A wire scope in words; undefined for UNSPECIFIED or an unknown number. */
export const scopeFromProto = (scope: Scope): SecretScope | undefined => SCOPE_FROM_PROTO[scope];

/**
 * A run context as a transport carries it, in Strongroom's words but unchecked:
 * `trigger` is whatever the wire said (see `triggerFromProto`).
 */
export interface WireRunContext {
  workspaceId: string;
  workflowId: string;
  runId: string;
  trigger: string;
  triggeredBy: string;
  workflowOwner: string;
  stepId: string;
}

/** The wire run context in words; undefined when the request had none. */
export function runContextFromProto(context: ProtoRunContext | undefined): WireRunContext | undefined {
  if (!context) return undefined;
  return {
    workspaceId: context.workspaceId,
    workflowId: context.workflowId,
    runId: context.runId,
    trigger: triggerFromProto(context.trigger),
    triggeredBy: context.triggeredBy,
    workflowOwner: context.workflowOwner,
    stepId: context.stepId,
  };
}

/** A run context as the wire message. */
export function runContextToProto(context: WireRunContext): MessageInitShape<typeof RunContextSchema> {
  return {
    workspaceId: context.workspaceId,
    workflowId: context.workflowId,
    runId: context.runId,
    trigger: triggerToProto(context.trigger),
    triggeredBy: context.triggeredBy,
    workflowOwner: context.workflowOwner,
    stepId: context.stepId,
  };
}
