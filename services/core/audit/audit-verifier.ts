import type { KeyObject } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditCheckpointStore } from '../../storage/audit-checkpoint-store.js';
import type { AuditStore } from '../../storage/audit-store.js';
import { auditEventHash, chainGenesisHash } from './audit-event.js';
import { openSignedCheckpoint, type SignedCheckpoint } from './checkpoint-body.js';
import { createCheckpointReader, NO_CHECKPOINT, type CheckpointPosition } from './checkpoint-chain.js';
import {
  chainHeadsOf,
  judgeChainHead,
  signedHashes,
  type ChainProblem,
  type IntegrityCheck,
} from './checkpoint-state.js';

/** The answer of `verifyAuditLog` and `strongroom audit verify`. */
export interface AuditVerification {
  ok: boolean;
  /** Events checked (of the caller's workspace, when verification is scoped to one). */
  checked: number;
  /** The id of the first event found broken (or the last event of a chain cut short); null when ok. */
  firstBrokenId: string | null;
  /** A value-free description of the first problem. */
  problem: string | null;
  /** Which check failed (SPEC §8.1), null when ok. */
  failedCheck: IntegrityCheck | null;
  /** When the newest checkpoint was signed; null when there is none. */
  checkpointAt: Date | null;
  checkpointSeq: number | null;
}

/** How long events may stay outside every checkpoint before verification calls the newest one stale. */
export const DEFAULT_MAX_CHECKPOINT_AGE_MS = 10 * 60_000;

export type VerifierAuditStore = Pick<
  AuditStore,
  'snapshot' | 'listChains' | 'listEventsAfter' | 'findEventsAt'
>;

export interface VerifyAuditLogOptions {
  /** The signed checkpoints; without it only the chains are walked (storage-level use). */
  checkpointStore?: Pick<AuditCheckpointStore, 'listFrom'>;
  /** The audit public key: from the keyring, or given to an auditor's machine. */
  publicKey?: KeyObject;
  /** An external copy (STRONGROOM_AUDIT_CHECKPOINT_DIR, shipped): must agree with the database. */
  external?: { checkpoints: SignedCheckpoint[]; problems: string[] };
  maxCheckpointAgeMs?: number;
  now?: Date;
  pageSize?: number;
  /**
   * An auditor of one workspace: `checked` counts that workspace's events only, and
   * where the log broke is told only when it is one of them. Whether the log verifies
   * is the whole log's answer (chains mix workspaces), never another workspace's figures.
   */
  workspaceId?: string;
}

/** What a workspace auditor is told of a problem: its check, not its place. */
const SCOPED_PROBLEM: Record<IntegrityCheck, string> = {
  'chain-missing': 'an audit chain is missing',
  'chain-cut': 'an audit chain was cut short',
  'chain-link': 'an audit chain has a gap or a broken link',
  'record-rewritten': 'an audit record was rewritten',
  'prune-unsigned': 'audit records were removed without a signed prune',
  'checkpoint-signature': 'a checkpoint does not verify',
  'checkpoint-chain': 'the checkpoint chain is broken',
  'checkpoint-missing': 'a checkpoint is missing',
  'checkpoint-stale': 'the newest checkpoint is stale',
};

interface ChainCursor {
  expectedSeq: number;
  prevHash: string;
  /** The last event walked: where a cut chain is reported. */
  last: EventPlace | null;
}

interface EventPlace {
  id: number;
  workspaceId: string;
}

/** What a walk that found the log intact leaves to continue from (see `createAuditVerifier`). */
export interface VerifiedLog {
  cursors: Map<string, ChainCursor>;
  /** Each chain's retention anchor when walked: a prune since means walking again from the start. */
  anchors: Map<string, number>;
  afterId: number;
  checkedByWorkspace: Map<string, number>;
  checkpoint: CheckpointPosition;
}

/** A walk's whole answer, before it is scoped to a caller. */
export interface RawVerification {
  ok: boolean;
  checkedByWorkspace: Map<string, number>;
  broken: EventPlace | null;
  problem: ChainProblem | null;
  checkpoint: CheckpointPosition | null;
}

/** The answer for one caller: the whole log's, or one workspace auditor's. */
export function scopeVerification(raw: RawVerification, workspaceId?: string): AuditVerification {
  let checked = 0;
  if (workspaceId === undefined) for (const n of raw.checkedByWorkspace.values()) checked += n;
  else checked = raw.checkedByWorkspace.get(workspaceId) ?? 0;
  const visible = raw.broken && (workspaceId === undefined || raw.broken.workspaceId === workspaceId);
  const checkpoint = raw.checkpoint && raw.checkpoint.seq > 0 ? raw.checkpoint : null;
  return {
    ok: raw.ok,
    checked,
    firstBrokenId: visible ? String(raw.broken!.id) : null,
    problem: raw.problem
      ? workspaceId === undefined
        ? raw.problem.problem
        : SCOPED_PROBLEM[raw.problem.check]
      : null,
    failedCheck: raw.problem?.check ?? null,
    checkpointAt: checkpoint?.at ?? null,
    checkpointSeq: checkpoint?.seq ?? null,
  };
}

/**
 * Walks the whole log in id order and checks every chain: contiguous sequence numbers,
 * each hash recomputed, each link to the previous hash, ids rising with sequence
 * numbers, each chain ending where its head says. With checkpoints it first checks
 * their own chain (signatures, links, the external copy) and then holds the log to the
 * newest: every chain it signed still there and no shorter, every signed position
 * holding the signed hash, anchors moved only within a signed prune, and no event older
 * than `maxCheckpointAgeMs` left outside it. One snapshot: appends committing meanwhile
 * never look like a chain running past its head, nor like a gap.
 */
export async function verifyAuditLog(
  auditStore: VerifierAuditStore,
  options: VerifyAuditLogOptions = {},
): Promise<AuditVerification> {
  const { raw } = await auditStore.snapshot((tx) => advance(auditStore, tx, options, null));
  return scopeVerification(raw, options.workspaceId);
}

/** A step of the checkpoint chain read, with the positions the checkpoints read in it signed. */
interface CheckpointRead {
  position: CheckpointPosition | null;
  problem: ChainProblem | null;
  signedSince: Array<{ chainId: string; seq: number; hash: string }>;
}

async function readCheckpoints(
  tx: EntityManager,
  options: VerifyAuditLogOptions,
  from: CheckpointPosition | null,
): Promise<CheckpointRead> {
  const { checkpointStore, publicKey } = options;
  const signedSince: CheckpointRead['signedSince'] = [];
  if (!checkpointStore) return { position: null, problem: null, signedSince };
  const fail = (
    position: CheckpointPosition | null,
    check: IntegrityCheck,
    problem: string,
  ): CheckpointRead => ({
    position,
    problem: { check, problem },
    signedSince,
  });
  const startSeq = from && from.seq > 0 ? from.seq : 0;
  const first = await checkpointStore.listFrom(startSeq, 1, tx);
  if (startSeq > 0 && (first[0]?.seq !== startSeq || first[0]?.hash !== from!.hash)) {
    return fail(from, 'checkpoint-missing', `checkpoint ${startSeq}, verified before, is gone or changed`);
  }
  if (first.length === 0 && !(options.external?.checkpoints.length ?? 0)) {
    return { position: NO_CHECKPOINT, problem: null, signedSince };
  }
  if (!publicKey)
    return fail(null, 'checkpoint-signature', 'checkpoints exist but no public key was given to check them');
  const reader = createCheckpointReader(publicKey, from ?? NO_CHECKPOINT);
  const stored = new Map<number, string>();
  let oldestSeq = 0;
  for (let next = startSeq > 0 ? startSeq + 1 : 0; ;) {
    const page = await checkpointStore.listFrom(next, 1000, tx);
    for (const row of page) {
      oldestSeq ||= row.seq;
      stored.set(row.seq, row.hash);
      const problem = reader.add(row);
      if (problem) return { position: reader.position(), problem, signedSince };
      for (const chain of reader.position().body!.chains) {
        signedSince.push({ chainId: chain.chain, seq: chain.lastSeq, hash: chain.lastHash });
        if (chain.pruneToSeq > 0)
          signedSince.push({ chainId: chain.chain, seq: chain.pruneToSeq, hash: chain.pruneToHash });
      }
    }
    if (page.length < 1000) break;
    next = page.at(-1)!.seq + 1;
  }
  const position = reader.position();
  if (position.seq > 0 && !position.state)
    return fail(position, 'checkpoint-chain', 'no full checkpoint to start from');
  for (const copy of options.external?.checkpoints ?? []) {
    const opened = openSignedCheckpoint(copy, publicKey);
    if ('problem' in opened)
      return fail(position, 'checkpoint-signature', `external copy: ${opened.problem}`);
    if (copy.seq < oldestSeq) continue; // removed from the database by retention
    const inDatabase = stored.get(copy.seq);
    if (inDatabase === undefined) {
      return fail(
        position,
        'checkpoint-missing',
        `checkpoint ${copy.seq} of the external copy is not in the database`,
      );
    }
    if (inDatabase !== copy.hash) {
      return fail(
        position,
        'checkpoint-missing',
        `checkpoint ${copy.seq} in the database differs from the external copy`,
      );
    }
  }
  const [fileProblem] = options.external?.problems ?? [];
  if (fileProblem) return fail(position, 'checkpoint-signature', `external copy: ${fileProblem}`);
  return { position, problem: null, signedSince };
}

/**
 * Verifies the log from `prior` (what an earlier walk found intact) or from the start:
 * the checkpoints written since, the positions they signed and the last walked event of
 * every chain re-read (a chain rewritten and re-hashed behind a walk changes them), then
 * only the events written since. A moved retention anchor means walking from the start.
 */
export async function advance(
  auditStore: Omit<VerifierAuditStore, 'snapshot'>,
  tx: EntityManager,
  options: VerifyAuditLogOptions,
  prior: VerifiedLog | null,
): Promise<{ raw: RawVerification; next: VerifiedLog | null }> {
  const pageSize = options.pageSize ?? 2000;
  const now = options.now ?? new Date();
  const staleBefore = now.getTime() - (options.maxCheckpointAgeMs ?? DEFAULT_MAX_CHECKPOINT_AGE_MS);
  const checkpoints = await readCheckpoints(tx, options, prior?.checkpoint ?? null);
  const checkedByWorkspace = new Map(prior?.checkedByWorkspace ?? []);
  const raw = (problem: ChainProblem | null, broken: EventPlace | null = null): RawVerification => ({
    ok: problem === null,
    checkedByWorkspace,
    broken,
    problem,
    checkpoint: checkpoints.position,
  });
  if (checkpoints.problem) return { raw: raw(checkpoints.problem), next: null };

  const heads = chainHeadsOf(await auditStore.listChains(tx));
  if (prior && [...prior.anchors].some(([id, seq]) => (heads.get(id)?.prunedThroughSeq ?? seq) !== seq)) {
    return advance(auditStore, tx, options, null);
  }
  const signedState = checkpoints.position?.state ?? new Map();
  for (const signed of signedState.values()) {
    const problem = judgeChainHead(signed, heads.get(signed.chain));
    if (problem) return { raw: raw(problem), next: null };
  }

  const cursors = new Map<string, ChainCursor>();
  const anchors = new Map<string, number>();
  for (const [chainId, head] of heads) {
    const pruned = head.prunedThroughSeq;
    anchors.set(chainId, pruned);
    const before = prior?.cursors.get(chainId);
    cursors.set(
      chainId,
      before
        ? { ...before }
        : {
            expectedSeq: pruned + 1,
            prevHash: pruned > 0 ? head.prunedThroughHash : chainGenesisHash(chainId),
            last: null,
          },
    );
  }
  const signedAt = new Map([...signedState.values()].map((s) => [s.chain, signedHashes(s)]));

  if (prior) {
    // What was walked must still be there: each chain's last walked event, and every
    // position a newer checkpoint signed below it.
    const expected = new Map<string, string>();
    const key = (chainId: string, seq: number) => `${chainId}\u0000${seq}`;
    for (const [chainId, cursor] of cursors) {
      const walkedTo = cursor.expectedSeq - 1;
      if (walkedTo > (anchors.get(chainId) ?? 0)) expected.set(key(chainId, walkedTo), cursor.prevHash);
    }
    for (const p of checkpoints.signedSince) {
      const cursor = cursors.get(p.chainId);
      if (cursor && p.seq < cursor.expectedSeq && p.seq > (anchors.get(p.chainId) ?? 0)) {
        expected.set(key(p.chainId, p.seq), p.hash);
      }
    }
    const positions = [...expected.keys()].map((k) => {
      const [chainId, seq] = k.split('\u0000');
      return { chainId: chainId!, seq: Number(seq) };
    });
    const found = new Map(
      (await auditStore.findEventsAt(tx, positions)).map((e) => [key(e.chainId, Number(e.chainSeq)), e.hash]),
    );
    for (const [k, hash] of expected) {
      if (found.get(k) !== hash) {
        const [chainId, seq] = k.split('\u0000');
        return {
          raw: raw({
            check: 'record-rewritten',
            problem: `chain ${chainId}: event ${seq}, verified before, was changed or removed`,
          }),
          next: null,
        };
      }
    }
  }

  let afterId = prior?.afterId ?? 0;
  for (;;) {
    const page = await auditStore.listEventsAfter(afterId, pageSize, tx);
    if (page.length === 0) break;
    for (const event of page) {
      const id = Number(event.id);
      afterId = id;
      checkedByWorkspace.set(event.workspaceId, (checkedByWorkspace.get(event.workspaceId) ?? 0) + 1);
      const at = { id, workspaceId: event.workspaceId };
      const cursor = cursors.get(event.chainId);
      const fail = (check: IntegrityCheck, problem: string) => ({
        raw: raw({ check, problem }, at),
        next: null,
      });
      if (!cursor) return fail('chain-missing', 'event belongs to no known chain');
      const seq = Number(event.chainSeq);
      if (seq !== cursor.expectedSeq) return fail('chain-link', 'sequence gap or reorder in chain');
      if (event.prevHash !== cursor.prevHash)
        return fail('chain-link', 'link to the previous event does not match');
      const { id: _id, hash, ...unsealed } = event;
      if (auditEventHash(unsealed) !== hash)
        return fail('record-rewritten', 'event content does not match its hash');
      const signedHash = signedAt.get(event.chainId)?.get(seq);
      if (signedHash !== undefined && signedHash !== hash) {
        return fail('record-rewritten', 'event is not the one a checkpoint signed');
      }
      cursor.expectedSeq += 1;
      cursor.prevHash = hash;
      cursor.last = at;
    }
  }
  for (const [chainId, head] of heads) {
    const cursor = cursors.get(chainId)!;
    if (cursor.expectedSeq - 1 !== head.lastSeq || cursor.prevHash !== head.lastHash) {
      return {
        raw: raw({ check: 'chain-cut', problem: 'chain ends before its recorded head' }, cursor.last),
        next: null,
      };
    }
  }

  if (options.checkpointStore) {
    // Stale: an event older than the allowed age that no checkpoint covers yet.
    const firstUncovered = [...heads.values()].flatMap((head) => {
      const covered = Math.max(signedState.get(head.chainId)?.lastSeq ?? 0, head.prunedThroughSeq);
      return head.lastSeq > covered ? [{ chainId: head.chainId, seq: covered + 1 }] : [];
    });
    let oldest: Date | null = null;
    for (const event of await auditStore.findEventsAt(tx, firstUncovered)) {
      if (!oldest || event.occurredAt < oldest) oldest = event.occurredAt;
    }
    if (oldest && oldest.getTime() < staleBefore) {
      const at = checkpoints.position?.at;
      return {
        raw: raw({
          check: 'checkpoint-stale',
          problem: `events from ${oldest.toISOString()} on are under no checkpoint (${at ? `the newest is from ${at.toISOString()}` : 'there is none'})`,
        }),
        next: null,
      };
    }
  }
  return {
    raw: raw(null),
    next: {
      cursors,
      anchors,
      afterId,
      checkedByWorkspace,
      checkpoint: checkpoints.position ?? NO_CHECKPOINT,
    },
  };
}
