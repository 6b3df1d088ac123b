import { EntitySchema } from 'typeorm';

/**
 * A signed checkpoint of the audit log (SPEC §8.1): `body` is canonical JSON naming every
 * chain's head and prune anchor, `hash` its SHA-256, `signature` the Ed25519 signature
 * of `hash` by a key that is not in the database. Checkpoints form a chain of their own
 * (`seq`, `prevHash`), so deleting or reordering one is seen.
 */
export interface AuditCheckpointRow {
  seq: number;
  prevHash: string;
  hash: string;
  body: string;
  signature: string;
  /** 1 when `body` lists every chain (a full checkpoint), 0 for a delta: where folding starts. */
  fullState: number;
  createdAt: Date;
}

export const AuditCheckpointEntity = new EntitySchema<AuditCheckpointRow>({
  name: 'AuditCheckpoint',
  tableName: 'audit_checkpoints',
  columns: {
    seq: { type: Number, primary: true },
    prevHash: { name: 'prev_hash', type: String, length: 64 },
    hash: { type: String, length: 64 },
    body: { type: 'text' },
    signature: { type: String, length: 128 },
    fullState: { name: 'full_state', type: Number },
    createdAt: { name: 'created_at', type: Date, precision: 3 },
  },
});
