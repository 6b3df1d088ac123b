import type { KeyObject } from 'node:crypto';
import { openSignedCheckpoint, type CheckpointBody, type SignedCheckpoint } from './checkpoint-body.js';
import { foldCheckpoint, type ChainProblem, type CheckpointState } from './checkpoint-state.js';

/** Where a walk of the checkpoint chain stands: the newest checkpoint read and the state it signs. */
export interface CheckpointPosition {
  seq: number;
  hash: string;
  /** The state after `seq`; null until a full checkpoint was read (retention may have cut the older ones). */
  state: CheckpointState | null;
  body: CheckpointBody | null;
  at: Date | null;
}

export const NO_CHECKPOINT: CheckpointPosition = { seq: 0, hash: '', state: null, body: null, at: null };

/**
 * Reads checkpoints in sequence order from `start`: each must carry a valid signature,
 * follow the one before without a gap and link to its hash, and add up to the state it
 * signs. The first checkpoint read after `NO_CHECKPOINT` may follow anything (retention
 * removes old ones); folding starts at the first full one.
 */
export function createCheckpointReader(publicKey: KeyObject, start: CheckpointPosition = NO_CHECKPOINT) {
  let position = start;
  return {
    add(
      row: Pick<SignedCheckpoint, 'seq' | 'prevHash' | 'hash' | 'body' | 'signature' | 'createdAt'>,
    ): ChainProblem | null {
      const opened = openSignedCheckpoint(row, publicKey);
      if ('problem' in opened) return { check: 'checkpoint-signature', problem: opened.problem };
      const { body } = opened;
      if (position.seq > 0) {
        if (body.seq !== position.seq + 1) {
          return {
            check: 'checkpoint-chain',
            problem: `checkpoint ${position.seq + 1} is missing (the next one is ${body.seq})`,
          };
        }
        if (body.prev !== position.hash) {
          return {
            check: 'checkpoint-chain',
            problem: `checkpoint ${body.seq} does not link to checkpoint ${position.seq}`,
          };
        }
      }
      let state: CheckpointState | null = null;
      if (body.full || position.state) {
        const folded = foldCheckpoint(position.state ?? new Map(), body);
        if ('problem' in folded) return { check: 'checkpoint-chain', problem: folded.problem };
        state = folded.state;
      }
      position = { seq: body.seq, hash: row.hash, state, body, at: new Date(body.at) };
      return null;
    },
    position: (): CheckpointPosition => position,
  };
}
