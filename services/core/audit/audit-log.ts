import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditStore } from '../../storage/audit-store.js';
import { DomainError } from '../errors/domain-error.js';
import {
  auditEventHash,
  chainGenesisHash,
  normalizeAuditEvent,
  type AuditEventInput,
  type ChainedAuditEvent,
} from './audit-event.js';

/**
 * The append side of the audit log. Each instance writes its own hash chain, so
 * processes and replicas never contend for one global lock; within a chain the
 * head row's lock (held to commit) orders appends and makes rollbacks gap-free.
 * The chain's head row is created here, before any caller's transaction can need it.
 */
export async function openAuditLog({
  auditStore,
  chainId = randomUUID(),
  clock = () => new Date(),
}: {
  auditStore: Pick<
    AuditStore,
    'createChain' | 'lockChainHead' | 'insertEvents' | 'updateChainHead' | 'transaction'
  >;
  chainId?: string;
  clock?: () => Date;
}) {
  const created = clock();
  await auditStore.createChain({
    chainId,
    lastSeq: 0,
    lastHash: chainGenesisHash(chainId),
    prunedThroughSeq: 0,
    prunedThroughHash: '',
    createdAt: created,
    updatedAt: created,
  });

  /** Appends events inside the caller's transaction: they commit or roll back with the change they record. */
  async function append(tx: EntityManager, inputs: AuditEventInput[]): Promise<ChainedAuditEvent[]> {
    if (inputs.length === 0) return [];
    const head = await auditStore.lockChainHead(tx, chainId);
    if (!head) throw new DomainError('INTERNAL', 'The audit chain of this process is missing.');
    let seq = Number(head.lastSeq);
    let prevHash = head.lastHash;
    const now = clock();
    const events = inputs.map((input) => {
      seq += 1;
      const unsealed = { chainId, chainSeq: seq, prevHash, ...normalizeAuditEvent(input, now) };
      const event = { ...unsealed, hash: auditEventHash(unsealed) };
      prevHash = event.hash;
      return event;
    });
    await auditStore.insertEvents(tx, events);
    await auditStore.updateChainHead(tx, chainId, { lastSeq: seq, lastHash: prevHash });
    return events;
  }

  return {
    chainId,
    append,
    /** Appends in a transaction of its own and returns once it is committed (fail closed: throws if not). */
    appendCommitted(inputs: AuditEventInput[]): Promise<ChainedAuditEvent[]> {
      return auditStore.transaction((tx) => append(tx, inputs));
    },
  };
}

export type AuditLog = Awaited<ReturnType<typeof openAuditLog>>;
