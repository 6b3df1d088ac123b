import { DomainError } from '../../protocol/domain-error.js';
import type { AuditCheckpointStore } from '../../storage/audit-checkpoint-store.js';
import type { AuditStore } from '../../storage/audit-store.js';
import { transientBackoffMs } from '../../storage/retrying-transaction.js';
import { isStorageError } from '../../storage/storage-errors.js';
import type { IntegrityKeySource } from '../integrity/integrity-keys.js';
import { chainGenesisHash } from './audit-event.js';
import { walkChainFrom } from './chain-walk.js';
import {
  signCheckpoint,
  type CheckpointChain,
  type CheckpointReason,
  type SignedCheckpoint,
} from './checkpoint-body.js';
import { createCheckpointReader, NO_CHECKPOINT, type CheckpointPosition } from './checkpoint-chain.js';
import { appendCheckpointFile } from './checkpoint-files.js';
import {
  chainHeadsOf,
  judgeChainHead,
  nextChainEntry,
  sameEntry,
  stateDigest,
  type ChainHead,
  type ChainProblem,
  type CheckpointState,
} from './checkpoint-state.js';

/** A full checkpoint (every chain listed) at least this often; deltas in between. */
const FULL_EVERY = 60;
const ATTEMPTS = 5;

type Tx = Parameters<Parameters<AuditStore['snapshot']>[0]>[0];

export interface CheckpointWriterDeps {
  auditStore: Pick<AuditStore, 'snapshot' | 'listChains' | 'listChainEvents'>;
  checkpointStore: Pick<AuditCheckpointStore, 'newest' | 'newestFullSeq' | 'listFrom' | 'insert'>;
  integrity: IntegrityKeySource;
  /** The writing process's main audit chain: named in each checkpoint as its writer. */
  writerId: string;
  /** Where a copy of each checkpoint is appended (STRONGROOM_AUDIT_CHECKPOINT_DIR). */
  checkpointDir?: string;
  clock?: () => Date;
  /** Called when a copy could not be written to `checkpointDir` (the checkpoint itself is stored). */
  onCopyFailed?: (error: unknown) => void;
}

export interface WriteOptions {
  /** Chains a prune is about to cut, and through which event (seq and hash) it may. */
  pruneTo?: ReadonlyMap<string, { seq: number; hash: string }>;
  /** Write even when nothing moved since the newest checkpoint. */
  force?: boolean;
}

/**
 * Writes signed audit checkpoints (SPEC §8.1). Before signing it checks that the log
 * continues the newest checkpoint: every chain it signed still there, no shorter, its
 * anchor moved only within a signed prune, and every event written since linking from
 * the signed head with a hash that matches its content. A log that does not is never
 * signed: signing it would bless whatever a database writer did in between.
 */
export function createCheckpointWriter(deps: CheckpointWriterDeps) {
  const clock = deps.clock ?? (() => new Date());
  /** The newest checkpoint this process read or wrote, and its state: folding restarts from it. */
  let known: CheckpointPosition = NO_CHECKPOINT;

  async function readNewestState(tx: Tx): Promise<CheckpointPosition> {
    const { publicKey } = await deps.integrity.keys();
    const newest = await deps.checkpointStore.newest(tx);
    if (!newest) {
      if (known.seq > 0)
        throw refusal({
          check: 'checkpoint-missing',
          problem: `checkpoint ${known.seq} and every one before it are gone`,
        });
      return NO_CHECKPOINT;
    }
    if (newest.seq < known.seq) {
      throw refusal({
        check: 'checkpoint-missing',
        problem: `checkpoint ${known.seq} is gone (the newest is ${newest.seq})`,
      });
    }
    if (newest.seq === known.seq && newest.hash === known.hash && known.state) return known;
    const from = known.seq > 0 && known.state ? known : NO_CHECKPOINT;
    const reader = createCheckpointReader(publicKey, from);
    let next = from === NO_CHECKPOINT ? await deps.checkpointStore.newestFullSeq(tx) : from.seq + 1;
    for (;;) {
      const page = await deps.checkpointStore.listFrom(next, 500, tx);
      for (const row of page) {
        const problem = reader.add(row);
        if (problem) throw refusal(problem);
      }
      if (page.length < 500) break;
      next = page.at(-1)!.seq + 1;
    }
    const position = reader.position();
    if (!position.state) {
      throw refusal({ check: 'checkpoint-chain', problem: 'no full checkpoint to start from' });
    }
    return position;
  }

  /** The checkpoint to write now, or null when nothing moved (and not forced). */
  async function prepare(reason: CheckpointReason, options: WriteOptions) {
    return deps.auditStore.snapshot(async (tx) => {
      const position = await readNewestState(tx);
      const signedState: CheckpointState = position.state ?? new Map();
      const heads = chainHeadsOf(await deps.auditStore.listChains(tx));
      const dropped: string[] = [];
      for (const signed of signedState.values()) {
        const problem = judgeChainHead(signed, heads.get(signed.chain));
        if (problem) throw refusal(problem);
        if (!heads.has(signed.chain)) dropped.push(signed.chain);
      }
      const state: CheckpointState = new Map(signedState);
      for (const id of dropped) state.delete(id);
      const changed: CheckpointChain[] = [];
      for (const head of heads.values()) {
        const signed = signedState.get(head.chainId);
        const problem = await walkChainFrom(deps.auditStore, tx, head, walkStart(head, signed));
        if (problem) throw refusal(problem);
        const entry = nextChainEntry(head, signed, options.pruneTo?.get(head.chainId));
        state.set(head.chainId, entry);
        if (!signed || !sameEntry(signed, entry)) changed.push(entry);
      }
      if (changed.length === 0 && dropped.length === 0 && !options.force && position.seq > 0) return null;
      const seq = position.seq + 1;
      const full = position.seq === 0 || seq - (await deps.checkpointStore.newestFullSeq(tx)) >= FULL_EVERY;
      return {
        seq,
        prev: position.hash,
        full,
        chains: full ? [...state.values()] : changed,
        dropped: full ? [] : dropped,
        state,
      };
    });
  }

  /**
   * Writes one checkpoint over the log as it is now; null when nothing moved since the
   * newest one. Throws DATA_LOSS (with the failed check in its details) when the log
   * does not continue the newest checkpoint. A checkpoint another process wrote in the
   * meantime is read and continued.
   */
  async function write(
    reason: CheckpointReason,
    options: WriteOptions = {},
  ): Promise<SignedCheckpoint | null> {
    for (let attempt = 1; ; attempt++) {
      const plan = await prepare(reason, options);
      if (!plan) return null;
      const { signingKey } = await deps.integrity.keys();
      const at = clock();
      const signed = signCheckpoint(
        {
          v: 1,
          seq: plan.seq,
          prev: plan.prev,
          at: at.toISOString(),
          writer: deps.writerId,
          reason,
          full: plan.full,
          chains: plan.chains,
          dropped: plan.dropped,
          state: stateDigest(plan.state),
        },
        signingKey,
        at,
      );
      try {
        await deps.checkpointStore.insert({ ...signed, fullState: plan.full ? 1 : 0 });
      } catch (error) {
        // Another process wrote checkpoint `seq` first: continue from it. On a Galera
        // cluster two nodes can both insert `seq`, and the one certified second learns
        // it at COMMIT as a transient abort (or, retried by the server, as a duplicate).
        const lost = isStorageError(error, 'unique-violation') || isStorageError(error, 'transient-abort');
        if (!lost || attempt >= ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, transientBackoffMs(attempt)));
        continue;
      }
      known = { seq: plan.seq, hash: signed.hash, state: plan.state, body: null, at };
      if (deps.checkpointDir) {
        await appendCheckpointFile(deps.checkpointDir, signed).catch((error: unknown) =>
          deps.onCopyFailed?.(error),
        );
      }
      return signed;
    }
  }

  return { write };
}

export type CheckpointWriter = ReturnType<typeof createCheckpointWriter>;

/** Where a chain's unsigned part starts: after its signed head, or (never signed) its anchor or genesis. */
export function walkStart(
  head: ChainHead,
  signed: CheckpointChain | undefined,
): { seq: number; hash: string } {
  if (signed) return { seq: signed.lastSeq, hash: signed.lastHash };
  if (head.prunedThroughSeq > 0) return { seq: head.prunedThroughSeq, hash: head.prunedThroughHash };
  return { seq: 0, hash: chainGenesisHash(head.chainId) };
}

/** A log that does not continue the newest checkpoint: nothing is signed. */
function refusal({ check, problem }: ChainProblem): DomainError {
  return new DomainError('DATA_LOSS', `Audit checkpoint refused: ${problem}.`, { details: { check } });
}
