import { EntitySchema } from 'typeorm';

/**
 * The head of one writer's audit chain, updated in the same transaction as each
 * append: it lets verification notice a chain cut short at its end, and after
 * pruning it records where the kept part of the chain starts.
 */
export interface AuditChainRow {
  chainId: string;
  lastSeq: number;
  lastHash: string;
  /** Events with seq <= prunedThroughSeq were removed by retention; the next one links to prunedThroughHash. */
  prunedThroughSeq: number;
  prunedThroughHash: string;
  createdAt: Date;
  updatedAt: Date;
}

export const AuditChainEntity = new EntitySchema<AuditChainRow>({
  name: 'AuditChain',
  tableName: 'audit_chains',
  columns: {
    chainId: { name: 'chain_id', type: String, length: 36, primary: true },
    lastSeq: { name: 'last_seq', type: Number },
    lastHash: { name: 'last_hash', type: String, length: 64 },
    prunedThroughSeq: { name: 'pruned_through_seq', type: Number },
    prunedThroughHash: { name: 'pruned_through_hash', type: String, length: 64 },
    createdAt: { name: 'created_at', type: Date, precision: 3 },
    updatedAt: { name: 'updated_at', type: Date, precision: 3 },
  },
});
