import type { EntityManager } from 'typeorm';
import type { AuditStore } from '../../storage/audit-store.js';
import { auditEventHash, chainGenesisHash } from './audit-event.js';

/** The answer of `verifyAuditLog` and `strongroom audit verify`. */
export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The id of the first event found broken (or the last event of a chain cut short); null when ok. */
  firstBrokenId: string | null;
  /** A value-free description of the first problem. */
  problem: string | null;
}

interface ChainCursor {
  expectedSeq: number;
  prevHash: string;
  lastId: number;
}

/**
 * Walks the whole log in id order and checks every chain: contiguous sequence
 * numbers, each hash recomputed, each link to the previous hash, ids rising with
 * sequence numbers, and each chain ending where its head says. A pruned chain
 * starts at its retention anchor (the hash of the last pruned event) rather than
 * its genesis. The walk reads one snapshot, so appends committing meanwhile never
 * look like a chain running past its head, nor like a gap.
 */
export function verifyAuditLog(
  auditStore: Pick<AuditStore, 'snapshot' | 'listChains' | 'listEventsAfter'>,
  pageSize = 2000,
): Promise<AuditVerification> {
  return auditStore.snapshot((tx) => walk(auditStore, tx, pageSize));
}

async function walk(
  auditStore: Pick<AuditStore, 'listChains' | 'listEventsAfter'>,
  tx: EntityManager,
  pageSize: number,
): Promise<AuditVerification> {
  const heads = new Map((await auditStore.listChains(tx)).map((c) => [c.chainId, c]));
  const cursors = new Map<string, ChainCursor>();
  for (const [chainId, head] of heads) {
    const pruned = Number(head.prunedThroughSeq);
    cursors.set(chainId, {
      expectedSeq: pruned + 1,
      prevHash: pruned > 0 ? head.prunedThroughHash : chainGenesisHash(chainId),
      lastId: 0,
    });
  }
  let checked = 0;
  const broken = (id: number, problem: string): AuditVerification => ({
    ok: false,
    checked,
    firstBrokenId: String(id),
    problem,
  });

  for (let afterId = 0; ;) {
    const page = await auditStore.listEventsAfter(afterId, pageSize, tx);
    if (page.length === 0) break;
    for (const event of page) {
      const id = Number(event.id);
      afterId = id;
      checked += 1;
      const cursor = cursors.get(event.chainId);
      if (!cursor) return broken(id, 'event belongs to no known chain');
      if (Number(event.chainSeq) !== cursor.expectedSeq)
        return broken(id, 'sequence gap or reorder in chain');
      if (event.prevHash !== cursor.prevHash) return broken(id, 'link to the previous event does not match');
      const { id: _id, hash, ...unsealed } = event;
      if (auditEventHash(unsealed) !== hash) return broken(id, 'event content does not match its hash');
      cursor.expectedSeq += 1;
      cursor.prevHash = hash;
      cursor.lastId = id;
    }
  }
  for (const [chainId, head] of heads) {
    const cursor = cursors.get(chainId)!;
    if (cursor.expectedSeq - 1 !== Number(head.lastSeq) || cursor.prevHash !== head.lastHash) {
      return {
        ok: false,
        checked,
        firstBrokenId: cursor.lastId ? String(cursor.lastId) : null,
        problem: 'chain ends before its recorded head',
      };
    }
  }
  return { ok: true, checked, firstBrokenId: null, problem: null };
}
