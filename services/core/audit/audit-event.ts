import { hash } from 'node:crypto';
import type { AuditEventRecord } from '../../storage/entities/audit-event-entity.js';

export type AuditOutcome = 'SUCCESS' | 'DENIED' | 'NOT_FOUND' | 'ERROR';
export type AuditActorType = 'user' | 'service' | 'runner' | 'anonymous' | 'operator';

/** The audit actions of SPEC §5. */
export type AuditAction =
  | 'secret.create'
  | 'secret.update_value'
  | 'secret.update'
  | 'secret.delete'
  | 'secret.import'
  | 'secret.register_system'
  | 'secret.revoke_system'
  | 'secret.member_add'
  | 'secret.member_remove'
  | 'secret.resolve'
  | 'auth.denied'
  | 'keys.rewrap'
  | 'audit.prune'
  | 'secret.check_references';

/** What a caller records. Never a value, nor anything derived from one. */
export interface AuditEventInput {
  action: AuditAction;
  outcome: AuditOutcome;
  actorType: AuditActorType;
  actorId?: string;
  workspaceId?: string;
  secretId?: string;
  secretName?: string;
  scope?: string;
  version?: number;
  workflowId?: string;
  runId?: string;
  trigger?: string;
  runner?: string;
  requestId?: string;
  sourceAddress?: string;
  /** A short, value-free explanation, such as an error code. */
  reason?: string;
  /** Resolves: whose personal secrets and memberships decided the call. */
  principal?: string;
  triggeredBy?: string;
  workflowOwner?: string;
  stepId?: string;
  /** Resolves under a run grant: its `jti`. */
  grantId?: string;
  /** How many occurrences the record stands for (aggregated failed authentications); 1 when absent. */
  occurrences?: number;
  occurredAt?: Date;
}

/** An event as it is chained and stored: every field present, '' or 0 where not applicable. */
export type ChainedAuditEvent = AuditEventRecord;

/**
 * `value` cut to at most `max` UTF-16 units (its column's width) without splitting a
 * surrogate pair, and with any lone surrogate replaced by U+FFFD. The databases store
 * UTF-8, where a lone surrogate has no encoding and is written as U+FFFD: hashing the
 * text as it will be stored keeps the stored event verifiable.
 */
function clip(value: string | undefined, max: number): string {
  if (value === undefined) return '';
  let text = value;
  if (text.length > max) {
    const last = text.charCodeAt(max - 1);
    text = text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
  }
  return text.isWellFormed() ? text : text.toWellFormed();
}

/** Where an event goes: its chain, its sequence number there, and the hash before it. */
export type ChainPosition = Pick<ChainedAuditEvent, 'chainId' | 'chainSeq' | 'prevHash'>;

/** Fills defaults and clips each field to its column width so what is hashed is what is stored. */
export function normalizeAuditEvent(
  input: AuditEventInput,
  now: Date,
): Omit<ChainedAuditEvent, keyof ChainPosition | 'hash'> {
  const {
    chainId: _id,
    chainSeq: _seq,
    prevHash: _prev,
    hash: _hash,
    ...fields
  } = unhashedEvent(input, now, { chainId: '', chainSeq: 0, prevHash: '' });
  return fields;
}

/** `input` normalized and chained at `position`, with its hash. */
export function chainAuditEvent(
  input: AuditEventInput,
  now: Date,
  position: ChainPosition,
): ChainedAuditEvent {
  const event = unhashedEvent(input, now, position);
  event.hash = auditEventHash(event);
  return event;
}

// One object literal with every field: a resolve chains thousands of these a second,
// and building them by spreading partial objects cost more than hashing them.
function unhashedEvent(
  input: AuditEventInput,
  now: Date,
  { chainId, chainSeq, prevHash }: ChainPosition,
): ChainedAuditEvent {
  return {
    chainId,
    chainSeq,
    prevHash,
    hash: '',
    occurredAt: new Date(Math.floor((input.occurredAt ?? now).getTime())),
    action: clip(input.action, 64),
    outcome: clip(input.outcome, 16),
    actorType: clip(input.actorType, 16),
    actorId: clip(input.actorId, 128),
    workspaceId: clip(input.workspaceId, 64),
    secretId: clip(input.secretId, 36),
    secretName: clip(input.secretName, 128),
    scope: clip(input.scope, 16),
    version: input.version ?? 0,
    workflowId: clip(input.workflowId, 128),
    runId: clip(input.runId, 128),
    trigger: clip(input.trigger, 16),
    runner: clip(input.runner, 256),
    requestId: clip(input.requestId, 64),
    sourceAddress: clip(input.sourceAddress, 64),
    reason: clip(input.reason, 256),
    principal: clip(input.principal, 128),
    triggeredBy: clip(input.triggeredBy, 128),
    workflowOwner: clip(input.workflowOwner, 128),
    stepId: clip(input.stepId, 128),
    grantId: clip(input.grantId, 128),
    occurrences: input.occurrences ?? 1,
  };
}

/**
 * The hash of an event: SHA-256 over a canonical JSON array of every field, the
 * previous hash included. An event that records none of the run-grant fields (every
 * event written before they existed, and every event that is not a resolve) hashes as
 * `strongroom-audit/v1`, so older logs still verify; one that records any hashes as
 * `v2` with them appended. Blanking those fields of a v2 event changes its hash. A
 * record that stands for more than one occurrence hashes as `v3`: the run-grant fields
 * and its count appended, so neither the count nor the version can be edited back.
 */
export function auditEventHash(event: Omit<ChainedAuditEvent, 'hash'>): string {
  const occurrences = Number(event.occurrences ?? 1);
  const counted = occurrences !== 1;
  const runFields =
    counted || event.principal || event.triggeredBy || event.workflowOwner || event.stepId || event.grantId;
  const canonical = JSON.stringify([
    counted ? 'strongroom-audit/v3' : runFields ? 'strongroom-audit/v2' : 'strongroom-audit/v1',
    event.chainId,
    Number(event.chainSeq),
    event.prevHash,
    event.occurredAt.toISOString(),
    event.action,
    event.outcome,
    event.actorType,
    event.actorId,
    event.workspaceId,
    event.secretId,
    event.secretName,
    event.scope,
    Number(event.version),
    event.workflowId,
    event.runId,
    event.trigger,
    event.runner,
    event.requestId,
    event.sourceAddress,
    event.reason,
    ...(runFields
      ? [event.principal, event.triggeredBy, event.workflowOwner, event.stepId, event.grantId]
      : []),
    ...(counted ? [occurrences] : []),
  ]);
  // One-shot: no Hash object per record.
  return hash('sha256', canonical, 'hex');
}

/** The hash a chain starts from. */
export function chainGenesisHash(chainId: string): string {
  return hash('sha256', `strongroom-audit-genesis/v1|${chainId}`, 'hex');
}
