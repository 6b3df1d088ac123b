import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditStore } from '../../storage/audit-store.js';
import type { CommitPrecondition } from '../../storage/commit-precondition.js';
import { retryOnTransientAbort } from '../../storage/retrying-transaction.js';
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
  onChainConflict = () => {},
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
  /**
   * Called when one of this instance's chains has a head it never wrote (someone wrote
   * to the database behind its back): the records go to a new chain instead.
   */
  onChainConflict?: (conflict: { chainId: string; foundSeq: number; newChainId: string }) => void;
}) {
  type Head = { lastSeq: number; lastHash: string };

  /**
   * The heads this instance wrote, per chain: a head found under lock must be one of
   * them. Several may be in flight (an in-transaction append whose caller has not yet
   * committed or rolled back), so the recent ones are kept, not only the last.
   */
  const produced = new Map<string, string[]>();
  const PRODUCED_KEPT = 256;
  function remember(chain: string, hash: string): void {
    const hashes = produced.get(chain) ?? [];
    hashes.push(hash);
    if (hashes.length > PRODUCED_KEPT) hashes.splice(0, hashes.length - PRODUCED_KEPT);
    produced.set(chain, hashes);
  }
  const wrote = (chain: string, hash: string): boolean => produced.get(chain)?.includes(hash) ?? false;

  /** Records a new, empty chain and returns its head (the chain's genesis hash). */
  async function createChain(id: string, tx?: EntityManager): Promise<Head> {
    const now = clock();
    const head = { lastSeq: 0, lastHash: chainGenesisHash(id) };
    await auditStore.createChain(
      {
        chainId: id,
        ...head,
        prunedThroughSeq: 0,
        prunedThroughHash: '',
        createdAt: now,
        updatedAt: now,
      },
      tx,
    );
    remember(id, head.lastHash);
    return head;
  }

  let mainChainId = chainId;
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

  /**
   * Appends to `chain` in `tx` after reading its head under lock (and checking
   * `preconditions`). A head this instance never wrote means someone else moved it: the
   * records are never chained onto it; a new chain is opened (in `tx`) and they go there.
   * Returns the events and the chain they went to.
   */
  async function appendLocked(
    tx: EntityManager,
    chain: string,
    inputs: AuditEventInput[],
    preconditions: readonly CommitPrecondition[] = [],
  ): Promise<{ events: ChainedAuditEvent[]; chain: string }> {
    const row = await auditStore.lockChainHead(tx, chain);
    let target = chain;
    let head: Head;
    if (row && wrote(chain, row.lastHash)) {
      head = { lastSeq: Number(row.lastSeq), lastHash: row.lastHash };
    } else {
      target = randomUUID();
      head = await createChain(target, tx);
      onChainConflict({ chainId: chain, foundSeq: row ? Number(row.lastSeq) : -1, newChainId: target });
    }
    await auditStore.requirePreconditions(tx, preconditions);
    const { events, next } = chainAfter(target, head, inputs);
    await auditStore.insertEvents(tx, events);
    await auditStore.updateChainHead(tx, target, next);
    remember(target, next.lastHash);
    return { events, chain: target };
  }

  /** Appends events inside the caller's transaction: they commit or roll back with the change they record. */
  async function append(tx: EntityManager, inputs: AuditEventInput[]): Promise<ChainedAuditEvent[]> {
    if (inputs.length === 0) return [];
    const appended = await appendLocked(tx, mainChainId, inputs);
    if (appended.chain !== mainChainId) moveMainChain(appended.chain);
    return appended.events;
  }

  /** After a conflict on the main chain: it and lane 0 continue on the new one. */
  function moveMainChain(newChainId: string): void {
    const lane0 = lanes[0];
    if (lane0?.chainId === mainChainId) lanes[0] = { chainId: newChainId, head: null };
    mainChainId = newChainId;
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
      // Remembered before the outcome is known: a batch that committed but whose answer
      // was lost leaves this head in the database, and it is ours.
      remember(lane.chainId, next.lastHash);
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
    const appended = await auditStore.transaction((tx) =>
      appendLocked(tx, lane.chainId, inputs, preconditions),
    );
    if (appended.chain !== lane.chainId) {
      if (lane.chainId === mainChainId) mainChainId = appended.chain;
      lane.chainId = appended.chain;
    }
    const last = appended.events.at(-1)!;
    lane.head = { lastSeq: last.chainSeq, lastHash: last.hash };
    return appended.events;
  }

  // Concurrent callers share a transaction; lanes commit in parallel on their own chains.
  // A batch rolled back whole for a concurrent transaction (on Galera: lost certification,
  // say to a prune of this chain run on another node) is written again whole: the lane's
  // head was left unknown, so the retry locks and reads it first, and its records are
  // chained after whatever is really there. No caller is answered until one try commits.
  const groupCommit = createAuditGroupCommit({
    commitBatch: (lane, inputs, preconditions) =>
      retryOnTransientAbort(() => commitOnLane(lane, inputs, preconditions)),
    lanes: committerChains,
  });

  return {
    /** The chain this instance appends to in callers' transactions (a new one after a conflict). */
    get chainId() {
      return mainChainId;
    },
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
