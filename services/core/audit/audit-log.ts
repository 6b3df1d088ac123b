import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../protocol/domain-error.js';
import type { AuditStore } from '../../storage/audit-store.js';
import type { CommitPrecondition } from '../../storage/commit-precondition.js';
import { isStorageError } from '../../storage/storage-errors.js';
import {
  chainAuditEvent,
  chainGenesisHash,
  type AuditEventInput,
  type ChainedAuditEvent,
} from './audit-event.js';
import { createAuditGroupCommit } from './audit-group-commit.js';

/**
 * The append side of the audit log. Each instance writes hash chains of its own, so
 * processes and replicas never contend for one global lock; within a chain the
 * head row's lock (held to commit) orders appends and makes rollbacks gap-free.
 * The main chain's head row is created here, before any caller's transaction can need it.
 */
export async function openAuditLog({
  auditStore,
  chainId = randomUUID(),
  committerChains = 4,
  clock = () => new Date(),
}: {
  auditStore: Pick<
    AuditStore,
    | 'createChain'
    | 'lockChainHead'
    | 'appendToOwnChain'
    | 'insertEvents'
    | 'updateChainHead'
    | 'transaction'
    | 'requirePreconditions'
  >;
  chainId?: string;
  /** Chains of the group committer (`appendCommitted`): batches on different chains commit in parallel. */
  committerChains?: number;
  clock?: () => Date;
}) {
  type Head = { lastSeq: number; lastHash: string };

  /** Records a new, empty chain and returns its head (the chain's genesis hash). */
  async function createChain(id: string): Promise<Head> {
    const now = clock();
    const head = { lastSeq: 0, lastHash: chainGenesisHash(id) };
    await auditStore.createChain({
      chainId: id,
      ...head,
      prunedThroughSeq: 0,
      prunedThroughHash: '',
      createdAt: now,
      updatedAt: now,
    });
    return head;
  }

  const mainHead = await createChain(chainId);

  /** `inputs` chained after `head`, and the head they leave. */
  function chainAfter(
    chain: string,
    head: Head,
    inputs: AuditEventInput[],
  ): { events: ChainedAuditEvent[]; next: Head } {
    let seq = head.lastSeq;
    let prevHash = head.lastHash;
    const now = clock();
    const events = inputs.map((input) => {
      seq += 1;
      const event = chainAuditEvent(input, now, { chainId: chain, chainSeq: seq, prevHash });
      prevHash = event.hash;
      return event;
    });
    return { events, next: { lastSeq: seq, lastHash: prevHash } };
  }

  /** Appends to `chain` in `tx` after reading its head under lock (and checking `preconditions`). */
  async function appendLocked(
    tx: EntityManager,
    chain: string,
    inputs: AuditEventInput[],
    preconditions: readonly CommitPrecondition[] = [],
  ): Promise<ChainedAuditEvent[]> {
    const head = await auditStore.lockChainHead(tx, chain);
    if (!head) throw new DomainError('INTERNAL', 'The audit chain of this process is missing.');
    await auditStore.requirePreconditions(tx, preconditions);
    const { events, next } = chainAfter(
      chain,
      { lastSeq: Number(head.lastSeq), lastHash: head.lastHash },
      inputs,
    );
    await auditStore.insertEvents(tx, events);
    await auditStore.updateChainHead(tx, chain, next);
    return events;
  }

  /** Appends events inside the caller's transaction: they commit or roll back with the change they record. */
  async function append(tx: EntityManager, inputs: AuditEventInput[]): Promise<ChainedAuditEvent[]> {
    if (inputs.length === 0) return [];
    return appendLocked(tx, chainId, inputs);
  }

  // The group committer writes one chain per lane: lane 0 shares this instance's chain
  // (a quiet process keeps to one chain, and the resolver makes no in-transaction
  // appends), the other lanes get chains of their own on first use. A lane runs one
  // batch at a time, so its head is kept here and a batch chains after it without
  // reading it; the store checks it under the lock in the statement that moves it, so
  // a head moved meanwhile (an in-transaction append on lane 0's chain, a row written
  // behind our back, a batch whose outcome is unknown) is caught and the lane falls back
  // to lock, read, chain before its head is trusted again. Nothing is written unchecked.
  type Lane = { chainId: string; head: Head | null };
  const lanes: Array<Lane | undefined> = [{ chainId, head: mainHead }];

  /** A new chain for a lane; if its creation fails the lane stays without one and tries a fresh id next time. */
  async function createLane(): Promise<Lane> {
    const laneChainId = randomUUID();
    return { chainId: laneChainId, head: await createChain(laneChainId) };
  }

  async function commitOnLane(
    index: number,
    inputs: AuditEventInput[],
    preconditions: readonly CommitPrecondition[],
  ): Promise<ChainedAuditEvent[]> {
    const lane = (lanes[index] ??= await createLane());
    const known = lane.head;
    // Unknown until this batch's outcome is: a failure leaves it unknown.
    lane.head = null;
    if (known) {
      const { events, next } = chainAfter(lane.chainId, known, inputs);
      let appended: boolean;
      try {
        appended = await auditStore.appendToOwnChain(lane.chainId, known, next, events, preconditions);
      } catch (error) {
        // Refused before anything moved: the head is where it was.
        if (isStorageError(error, 'precondition-failed')) lane.head = known;
        throw error;
      }
      if (appended) {
        lane.head = next;
        return events;
      }
    }
    const events = await auditStore.transaction((tx) =>
      appendLocked(tx, lane.chainId, inputs, preconditions),
    );
    const last = events.at(-1)!;
    lane.head = { lastSeq: last.chainSeq, lastHash: last.hash };
    return events;
  }

  // Concurrent callers share a transaction; lanes commit in parallel on their own chains.
  const groupCommit = createAuditGroupCommit({ commitBatch: commitOnLane, lanes: committerChains });

  return {
    chainId,
    append,
    /**
     * Appends in a transaction of its own (shared with callers arriving meanwhile) and
     * returns once it is committed (fail closed: throws if not). With `preconditions`,
     * the records are written only if each still holds when the transaction checks;
     * otherwise nothing is and a `precondition-failed` StorageError is thrown.
     */
    appendCommitted(
      inputs: AuditEventInput[],
      { preconditions = [] }: { preconditions?: readonly CommitPrecondition[] } = {},
    ): Promise<ChainedAuditEvent[]> {
      return groupCommit.append(inputs, preconditions);
    },
  };
}

export type AuditLog = Awaited<ReturnType<typeof openAuditLog>>;
