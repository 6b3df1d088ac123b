import { EntitySchema } from 'typeorm';

/**
 * One audit record (SPEC §8). Records form one hash chain per writer process
 * (`chainId`, `chainSeq`, `prevHash`, `hash`), so replicas append without a global
 * lock and any edit, insertion, deletion or reordering breaks a chain.
 * Empty strings stand for "not applicable" so every column hashes the same on both databases.
 */
export interface AuditEventRow {
  id: number;
  chainId: string;
  chainSeq: number;
  prevHash: string;
  hash: string;
  occurredAt: Date;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string;
  workspaceId: string;
  secretId: string;
  secretName: string;
  scope: string;
  version: number;
  workflowId: string;
  runId: string;
  trigger: string;
  runner: string;
  requestId: string;
  sourceAddress: string;
  /** A short, value-free explanation (for example the error code of a refusal). */
  reason: string;
  /** Resolves: whose personal secrets and memberships decided the call (from the run grant when there is one). */
  principal: string;
  triggeredBy: string;
  workflowOwner: string;
  stepId: string;
  /** Resolves under a run grant: its `jti`. */
  grantId: string;
  /** How many occurrences this record stands for: 1, except for aggregated failed authentications. */
  occurrences: number;
}

/** A record as it is written: everything but the id the database assigns. */
export type AuditEventRecord = Omit<AuditEventRow, 'id'>;

export const AuditEventEntity = new EntitySchema<AuditEventRow>({
  name: 'AuditEvent',
  tableName: 'audit_events',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    chainId: { name: 'chain_id', type: String, length: 36 },
    chainSeq: { name: 'chain_seq', type: Number },
    prevHash: { name: 'prev_hash', type: String, length: 64 },
    hash: { type: String, length: 64 },
    occurredAt: { name: 'occurred_at', type: Date, precision: 3 },
    action: { type: String, length: 64 },
    outcome: { type: String, length: 16 },
    actorType: { name: 'actor_type', type: String, length: 16 },
    actorId: { name: 'actor_id', type: String, length: 128 },
    workspaceId: { name: 'workspace_id', type: String, length: 64 },
    secretId: { name: 'secret_id', type: String, length: 36 },
    secretName: { name: 'secret_name', type: String, length: 128 },
    scope: { type: String, length: 16 },
    version: { type: Number },
    workflowId: { name: 'workflow_id', type: String, length: 128 },
    runId: { name: 'run_id', type: String, length: 128 },
    trigger: { type: String, length: 16 },
    runner: { type: String, length: 256 },
    requestId: { name: 'request_id', type: String, length: 64 },
    sourceAddress: { name: 'source_address', type: String, length: 64 },
    reason: { type: String, length: 256 },
    principal: { type: String, length: 128 },
    triggeredBy: { name: 'triggered_by', type: String, length: 128 },
    workflowOwner: { name: 'workflow_owner', type: String, length: 128 },
    stepId: { name: 'step_id', type: String, length: 128 },
    grantId: { name: 'grant_id', type: String, length: 128 },
    occurrences: { type: Number },
  },
});
