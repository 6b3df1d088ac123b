import type { KeyObject } from 'node:crypto';
import type { AuditCheckpointStore } from '../../storage/audit-checkpoint-store.js';
import {
  advance,
  scopeVerification,
  type AuditVerification,
  type RawVerification,
  type VerifiedLog,
  type VerifierAuditStore,
} from './audit-verifier.js';

/**
 * `verifyAuditLog` for a long-running process: bounded in cost. The first call walks the
 * whole log; later ones continue from what it found intact (the checkpoints since, the
 * last walked event of each chain and every position a newer checkpoint signed re-read,
 * then only new events). A prune, a failed answer or `fullEveryMs` passing means a walk
 * from the start again. Callers arriving while a walk runs share it, so a request asking
 * ten times (aliases) costs one walk, and so do ten auditors at once.
 */
export function createIncrementalAuditVerifier({
  auditStore,
  checkpointStore,
  publicKey,
  maxCheckpointAgeMs,
  fullEveryMs = 60 * 60_000,
  clock = () => new Date(),
}: {
  auditStore: VerifierAuditStore;
  checkpointStore: Pick<AuditCheckpointStore, 'listFrom'>;
  /** The audit public key (derived from the integrity root; never read from the database). */
  publicKey: () => Promise<KeyObject>;
  maxCheckpointAgeMs: number;
  fullEveryMs?: number;
  clock?: () => Date;
}) {
  let verified: { log: VerifiedLog; fullAt: number } | null = null;
  let running: Promise<RawVerification> | null = null;

  async function run(): Promise<RawVerification> {
    const now = clock();
    const prior = verified && now.getTime() - verified.fullAt < fullEveryMs ? verified : null;
    const options = { checkpointStore, publicKey: await publicKey(), maxCheckpointAgeMs, now };
    const { raw, next } = await auditStore.snapshot((tx) =>
      advance(auditStore, tx, options, prior?.log ?? null),
    );
    verified = next ? { log: next, fullAt: prior?.fullAt ?? now.getTime() } : null;
    return raw;
  }

  return {
    /** The log's answer, scoped to one workspace's auditor when `workspaceId` is given. */
    async verify(workspaceId?: string): Promise<AuditVerification> {
      running ??= run().finally(() => {
        running = null;
      });
      return scopeVerification(await running, workspaceId);
    },
  };
}

export type IncrementalAuditVerifier = ReturnType<typeof createIncrementalAuditVerifier>;
