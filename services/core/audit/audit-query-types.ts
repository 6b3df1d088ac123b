/** An audit record as the API shows it: '' and 0 placeholders become null. */
export interface AuditEventView {
  id: string;
  occurredAt: Date;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  workspaceId: string | null;
  secretId: string | null;
  secretName: string | null;
  scope: string | null;
  version: number | null;
  workflowId: string | null;
  runId: string | null;
  trigger: string | null;
  runner: string | null;
  requestId: string | null;
  sourceAddress: string | null;
  principal: string | null;
  triggeredBy: string | null;
  workflowOwner: string | null;
  stepId: string | null;
  grantId: string | null;
  occurrences: number;
}

/** The filters of `auditEvents` (SPEC §5). */
export interface AuditFilter {
  action?: string | null;
  outcome?: string | null;
  actorId?: string | null;
  secretName?: string | null;
  runId?: string | null;
  workflowId?: string | null;
  principal?: string | null;
  triggeredBy?: string | null;
  workflowOwner?: string | null;
  stepId?: string | null;
  grantId?: string | null;
  from?: Date | null;
  to?: Date | null;
}
