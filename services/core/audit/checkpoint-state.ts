import { hash } from 'node:crypto';
import type { CheckpointBody, CheckpointChain } from './checkpoint-body.js';

/** Every chain a checkpoint vouches for, by id: what folding checkpoints in order gives. */
export type CheckpointState = Map<string, CheckpointChain>;

/** A chain head as the database has it now. */
export interface ChainHead {
  chainId: string;
  lastSeq: number;
  lastHash: string;
  prunedThroughSeq: number;
  prunedThroughHash: string;
}

/** The chain heads of `audit_chains` rows, by chain id, with their counters as numbers (MariaDB may give strings). */
export function chainHeadsOf(
  rows: ReadonlyArray<{
    chainId: string;
    lastSeq: number | string;
    lastHash: string;
    prunedThroughSeq: number | string;
    prunedThroughHash: string;
  }>,
): Map<string, ChainHead> {
  return new Map(
    rows.map((c): [string, ChainHead] => [
      c.chainId,
      {
        chainId: c.chainId,
        lastSeq: Number(c.lastSeq),
        lastHash: c.lastHash,
        prunedThroughSeq: Number(c.prunedThroughSeq),
        prunedThroughHash: c.prunedThroughHash,
      },
    ]),
  );
}

/** The SHA-256 of a whole state, in chain id order: what each checkpoint's `state` signs. */
export function stateDigest(state: CheckpointState): string {
  const entries = [...state.values()]
    .sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0))
    .map((c) => [c.chain, c.lastSeq, c.lastHash, c.prunedSeq, c.prunedHash, c.pruneToSeq, c.pruneToHash]);
  return hash('sha256', JSON.stringify(entries), 'hex');
}

/**
 * The state after `body`, from the state after the checkpoint before it (ignored when
 * `body` is full). Returns a problem instead when the result is not what `body` signed:
 * a delta written over another history than the one folded here.
 */
export function foldCheckpoint(
  before: CheckpointState,
  body: CheckpointBody,
): { state: CheckpointState } | { problem: string } {
  const state: CheckpointState = body.full ? new Map() : new Map(before);
  for (const chain of body.chains) state.set(chain.chain, chain);
  for (const id of body.dropped) state.delete(id);
  if (stateDigest(state) !== body.state) {
    return { problem: `checkpoint ${body.seq}: the chains it lists do not add up to the state it signed` };
  }
  return { state };
}

/** Which check failed: names `audit verify` reports. */
export type IntegrityCheck =
  | 'chain-missing'
  | 'chain-cut'
  | 'chain-link'
  | 'record-rewritten'
  | 'prune-unsigned'
  | 'checkpoint-signature'
  | 'checkpoint-chain'
  | 'checkpoint-missing'
  | 'checkpoint-stale';

export interface ChainProblem {
  check: IntegrityCheck;
  problem: string;
}

/**
 * The structural checks of one chain against what the newest checkpoint signed for it,
 * before any event is read: the chain is still there (unless retention had emptied it),
 * it is not shorter than it was, and its retention anchor is where the checkpoint left
 * it or within a prune the key signed. The hashes at signed positions are checked by
 * whoever reads the events (see `signedHashes`).
 */
export function judgeChainHead(signed: CheckpointChain, head: ChainHead | undefined): ChainProblem | null {
  const id = signed.chain;
  if (!head) {
    if (signed.lastSeq === signed.prunedSeq) return null;
    return {
      check: 'chain-missing',
      problem: `chain ${id} was deleted (signed through seq ${signed.lastSeq})`,
    };
  }
  if (head.lastSeq < signed.lastSeq) {
    return {
      check: 'chain-cut',
      problem: `chain ${id} ends at seq ${head.lastSeq}, before seq ${signed.lastSeq} that a checkpoint signed`,
    };
  }
  const anchorKept = head.prunedThroughSeq === signed.prunedSeq;
  const withinSignedPrune =
    signed.pruneToSeq > signed.prunedSeq &&
    head.prunedThroughSeq > signed.prunedSeq &&
    head.prunedThroughSeq <= signed.pruneToSeq;
  if (!anchorKept && !withinSignedPrune) {
    return {
      check: 'prune-unsigned',
      problem: `chain ${id}'s retention anchor moved to seq ${head.prunedThroughSeq} without a signed prune`,
    };
  }
  const expected = signedHashes(signed);
  const atAnchor = expected.get(head.prunedThroughSeq);
  if (head.prunedThroughSeq > 0 && atAnchor !== undefined && atAnchor !== head.prunedThroughHash) {
    return {
      check: 'prune-unsigned',
      problem: `chain ${id}'s retention anchor hash at seq ${head.prunedThroughSeq} is not the one signed`,
    };
  }
  if (head.lastSeq === signed.lastSeq && head.lastHash !== signed.lastHash) {
    return {
      check: 'record-rewritten',
      problem: `chain ${id}'s head at seq ${head.lastSeq} is not the one signed`,
    };
  }
  return null;
}

/** The hashes a checkpoint fixes for one chain, by sequence number. */
export function signedHashes(signed: CheckpointChain): Map<number, string> {
  const fixed = new Map<number, string>();
  if (signed.prunedSeq > 0) fixed.set(signed.prunedSeq, signed.prunedHash);
  if (signed.pruneToSeq > 0) fixed.set(signed.pruneToSeq, signed.pruneToHash);
  if (signed.lastSeq > 0) fixed.set(signed.lastSeq, signed.lastHash);
  return fixed;
}

/**
 * What the next checkpoint says about a chain whose head is `head`: a pending signed
 * prune is carried until the anchor reaches it, or replaced by `pruneTo` (a new prune).
 */
export function nextChainEntry(
  head: ChainHead,
  signed: CheckpointChain | undefined,
  pruneTo?: { seq: number; hash: string },
): CheckpointChain {
  const pending =
    pruneTo ??
    (signed && signed.pruneToSeq > head.prunedThroughSeq
      ? { seq: signed.pruneToSeq, hash: signed.pruneToHash }
      : undefined);
  return {
    chain: head.chainId,
    lastSeq: head.lastSeq,
    lastHash: head.lastHash,
    prunedSeq: head.prunedThroughSeq,
    prunedHash: head.prunedThroughSeq > 0 ? head.prunedThroughHash : '',
    pruneToSeq: pending?.seq ?? 0,
    pruneToHash: pending?.hash ?? '',
  };
}

export const sameEntry = (a: CheckpointChain, b: CheckpointChain): boolean =>
  a.lastSeq === b.lastSeq &&
  a.lastHash === b.lastHash &&
  a.prunedSeq === b.prunedSeq &&
  a.prunedHash === b.prunedHash &&
  a.pruneToSeq === b.pruneToSeq &&
  a.pruneToHash === b.pruneToHash;
