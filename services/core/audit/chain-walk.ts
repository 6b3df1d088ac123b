import type { AuditStore } from '../../storage/audit-store.js';
import type { AuditEventRow } from '../../storage/entities/audit-event-entity.js';
import { auditEventHash } from './audit-event.js';
import type { ChainHead, ChainProblem } from './checkpoint-state.js';

const EVENTS_PER_PAGE = 2000;

type Tx = Parameters<Parameters<AuditStore['snapshot']>[0]>[0];

/**
 * Walks one chain's events after `from` (a position whose hash is trusted: a signed
 * head, the retention anchor or the genesis) up to `head`: each event must follow
 * without a gap, link to the one before and match its own hash, and the positions a
 * checkpoint fixed (`expected`) must hold the signed hashes. Returns the first problem.
 */
export async function walkChainFrom(
  auditStore: Pick<AuditStore, 'listChainEvents'>,
  tx: Tx,
  head: ChainHead,
  from: { seq: number; hash: string },
  expected: ReadonlyMap<number, string> = new Map(),
  onEvent?: (event: AuditEventRow) => void,
): Promise<ChainProblem | null> {
  let { seq, hash: prevHash } = from;
  while (seq < head.lastSeq) {
    const page = await auditStore.listChainEvents(tx, head.chainId, seq, EVENTS_PER_PAGE);
    if (page.length === 0) break;
    for (const event of page) {
      const eventSeq = Number(event.chainSeq);
      if (eventSeq > head.lastSeq) break;
      if (eventSeq !== seq + 1) {
        return { check: 'chain-link', problem: `chain ${head.chainId}: event ${seq + 1} is missing` };
      }
      if (event.prevHash !== prevHash) {
        return {
          check: 'record-rewritten',
          problem: `chain ${head.chainId}: event ${eventSeq} does not link to the one before`,
        };
      }
      const { id: _id, hash, ...unsealed } = event;
      if (auditEventHash(unsealed) !== hash) {
        return {
          check: 'record-rewritten',
          problem: `chain ${head.chainId}: event ${eventSeq} does not match its hash`,
        };
      }
      const signed = expected.get(eventSeq);
      if (signed !== undefined && signed !== hash) {
        return {
          check: 'record-rewritten',
          problem: `chain ${head.chainId}: event ${eventSeq} is not the one a checkpoint signed`,
        };
      }
      onEvent?.(event);
      seq = eventSeq;
      prevHash = hash;
    }
  }
  if (seq !== head.lastSeq || prevHash !== head.lastHash) {
    return { check: 'chain-cut', problem: `chain ${head.chainId} does not reach its recorded head` };
  }
  return null;
}
