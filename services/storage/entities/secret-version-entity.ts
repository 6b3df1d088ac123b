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
  },
});
