import { EntitySchema } from 'typeorm';

/**
 * The integrity root of SPEC §8.1: 32 random bytes sealed by the keyring (wrapped like a
 * data key), from which the audit signing key and the secret-state key are derived.
 * One row (id 1). Whoever reads it learns nothing without the keyring; whoever deletes
 * or swaps it makes every checkpoint and state tag fail to verify.
 */
export interface IntegrityRootRow {
  id: number;
  keyId: string;
  wrappedRoot: Buffer;
  /** The audit signing key's public half (base64url, raw Ed25519), as `audit public-key` prints it. */
  publicKey: string;
  createdAt: Date;
}

export const IntegrityRootEntity = new EntitySchema<IntegrityRootRow>({
  name: 'IntegrityRoot',
  tableName: 'integrity_roots',
  columns: {
    id: { type: Number, primary: true },
    keyId: { name: 'key_id', type: String, length: 255 },
    wrappedRoot: { name: 'wrapped_root', type: 'blob' },
    publicKey: { name: 'public_key', type: String, length: 128 },
    createdAt: { name: 'created_at', type: Date, precision: 3 },
  },
});
