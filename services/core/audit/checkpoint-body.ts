import { hash, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * What a checkpoint says about one audit chain (SPEC §8.1): where its head was, where
 * its kept part starts (the retention anchor) and, while a signed prune is under way,
 * how far that prune may cut. `dropped` removes a chain that retention emptied.
 */
export interface CheckpointChain {
  chain: string;
  lastSeq: number;
  lastHash: string;
  prunedSeq: number;
  prunedHash: string;
  /** A prune this key signed may move the anchor up to here; 0 when none is pending. */
  pruneToSeq: number;
  pruneToHash: string;
}

/** Why a checkpoint was written. */
export type CheckpointReason = 'periodic' | 'shutdown' | 'command' | 'prune-intent' | 'prune-done';

/**
 * A checkpoint's signed body. Checkpoints chain (`seq`, `prev`); a `full` one lists every
 * known chain, the others only the chains that changed since the one before (and the
 * ids of chains retention emptied, in `dropped`), so a busy database with thousands of
 * old chains signs kilobytes a minute, not megabytes. `state` is the SHA-256 of the
 * whole set after this checkpoint, so every checkpoint signs all of it.
 */
export interface CheckpointBody {
  v: 1;
  seq: number;
  prev: string;
  at: string;
  /** The main audit chain of the process that wrote it: who signed. */
  writer: string;
  reason: CheckpointReason;
  full: boolean;
  chains: CheckpointChain[];
  dropped: string[];
  state: string;
}

/** A checkpoint as stored (a row, or a line of a checkpoint file). */
export interface SignedCheckpoint {
  seq: number;
  prevHash: string;
  hash: string;
  body: string;
  signature: string;
  createdAt: Date;
}

const chainSchema = z.strictObject({
  chain: z.string().min(1).max(36),
  lastSeq: z.number().int().nonnegative(),
  lastHash: z.string().max(64),
  prunedSeq: z.number().int().nonnegative(),
  prunedHash: z.string().max(64),
  pruneToSeq: z.number().int().nonnegative(),
  pruneToHash: z.string().max(64),
});

const bodySchema = z.strictObject({
  v: z.literal(1),
  seq: z.number().int().positive(),
  prev: z.string().max(64),
  at: z.iso.datetime(),
  writer: z.string().max(36),
  reason: z.enum(['periodic', 'shutdown', 'command', 'prune-intent', 'prune-done']),
  full: z.boolean(),
  chains: z.array(chainSchema),
  dropped: z.array(z.string().max(36)),
  state: z.string().length(64),
});

/** The canonical text of a body: fixed key order, no whitespace (JSON.stringify keeps insertion order). */
export function encodeCheckpointBody(body: CheckpointBody): string {
  const ordered: CheckpointBody = {
    v: 1,
    seq: body.seq,
    prev: body.prev,
    at: body.at,
    writer: body.writer,
    reason: body.reason,
    full: body.full,
    chains: body.chains.map((c) => ({
      chain: c.chain,
      lastSeq: c.lastSeq,
      lastHash: c.lastHash,
      prunedSeq: c.prunedSeq,
      prunedHash: c.prunedHash,
      pruneToSeq: c.pruneToSeq,
      pruneToHash: c.pruneToHash,
    })),
    dropped: [...body.dropped],
    state: body.state,
  };
  return JSON.stringify(ordered);
}

/** Parses a stored body; throws on anything that is not a well-formed body. */
export function parseCheckpointBody(text: string): CheckpointBody {
  return bodySchema.parse(JSON.parse(text)) as CheckpointBody;
}

export const checkpointHash = (bodyText: string): string => hash('sha256', bodyText, 'hex');

/** Signs a body with the Ed25519 key: the signature covers the exact stored text. */
export function signCheckpoint(
  body: CheckpointBody,
  signingKey: KeyObject,
  createdAt: Date,
): SignedCheckpoint {
  const text = encodeCheckpointBody(body);
  return {
    seq: body.seq,
    prevHash: body.prev,
    hash: checkpointHash(text),
    body: text,
    signature: sign(null, Buffer.from(text, 'utf8'), signingKey).toString('base64url'),
    createdAt,
  };
}

/**
 * The body of a stored checkpoint if its hash, signature and row fields agree with it;
 * otherwise a value-free reason why not.
 */
export function openSignedCheckpoint(
  row: Pick<SignedCheckpoint, 'seq' | 'prevHash' | 'hash' | 'body' | 'signature'>,
  publicKey: KeyObject,
): { body: CheckpointBody } | { problem: string } {
  let signatureOk: boolean;
  try {
    signatureOk = verify(
      null,
      Buffer.from(row.body, 'utf8'),
      publicKey,
      Buffer.from(row.signature, 'base64url'),
    );
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return { problem: `checkpoint ${row.seq}: signature does not verify` };
  if (checkpointHash(row.body) !== row.hash)
    return { problem: `checkpoint ${row.seq}: hash does not match its body` };
  let body: CheckpointBody;
  try {
    body = parseCheckpointBody(row.body);
  } catch {
    return { problem: `checkpoint ${row.seq}: body is not a checkpoint` };
  }
  if (body.seq !== Number(row.seq) || body.prev !== row.prevHash) {
    return { problem: `checkpoint ${row.seq}: row does not match its signed body` };
  }
  return { body };
}
