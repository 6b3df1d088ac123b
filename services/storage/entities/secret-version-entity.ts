import { EntitySchema } from 'typeorm';

/** One sealed value of a secret (SPEC §7). Rotation adds a row; deletion removes them all. */
export interface SecretVersionRow {
  id: number;
  secretId: string;
  version: number;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  wrappedKey: Buffer;
  keyId: string;
  createdAt: Date;
  createdBy: string;
  /** What the value is bound to: 1 workspace, secret and version; 2 also scope and owner. */
  binding: number;
  /** This version's masked preview, computed when it was sealed (null for versions older than the column). */
  maskedPreview: string | null;
  /** The version a restore copied; null when the value was written. */
  restoredFrom: number | null;
  /**
   * The version number the sealed value's AAD binds (a restore copies the sealed value
   * as it is); null when it is this row's own version.
   */
  sealedAs: number | null;
  /** When the ciphertext was destroyed for good; the row stays as a tombstone. */
  destroyedAt: Date | null;
}

export const SecretVersionEntity = new EntitySchema<SecretVersionRow>({
  name: 'SecretVersion',
  tableName: 'secret_versions',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    secretId: { name: 'secret_id', type: String, length: 36 },
    version: { type: Number },
    ciphertext: { type: 'blob' },
    iv: { type: 'blob' },
    tag: { type: 'blob' },
    wrappedKey: { name: 'wrapped_key', type: 'blob' },
    keyId: { name: 'key_id', type: String, length: 255 },
    createdAt: { name: 'created_at', type: Date, precision: 3 },
    createdBy: { name: 'created_by', type: String, length: 128 },
    binding: { type: Number },
    maskedPreview: { name: 'masked_preview', type: String, length: 32, nullable: true },
    restoredFrom: { name: 'restored_from', type: Number, nullable: true },
    sealedAs: { name: 'sealed_as', type: Number, nullable: true },
    destroyedAt: { name: 'destroyed_at', type: Date, precision: 3, nullable: true },
  },
});
