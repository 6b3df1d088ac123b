import { randomUUID } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import type { EnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';

/** What was seeded: every secret's id and name, in name order. */
export interface SeededSecret {
  id: string;
  name: string;
}

const ROWS_PER_STATEMENT = 1_000;

/** `NAME_000042`: fixed width, so name order is index order. */
export const secretName = (prefix: string, i: number): string => `${prefix}_${String(i).padStart(6, '0')}`;

/**
 * Writes `count` workspace secrets with `versions` sealed versions each straight into
 * the tables with multi-row INSERTs: the API would take minutes to create what the
 * benchmarks need in seconds. Values are sealed by the real envelope cipher, bound
 * to their row, so the resolver and `keys rewrap` treat them as their own.
 */
export async function seedSecrets(
  pool: Pool,
  cipher: Pick<EnvelopeCipher, 'seal'>,
  {
    workspaceId,
    count,
    prefix,
    versions = 1,
  }: { workspaceId: string; count: number; prefix: string; versions?: number },
): Promise<SeededSecret[]> {
  const seeded: SeededSecret[] = [];
  const now = new Date();
  for (let start = 0; start < count; start += ROWS_PER_STATEMENT) {
    const chunk = Array.from({ length: Math.min(ROWS_PER_STATEMENT, count - start) }, (_, i) => ({
      id: randomUUID(),
      name: secretName(prefix, start + i),
    }));
    await pool.query(
      `INSERT INTO secrets (id, workspace_id, scope, owner_id, name, masked_preview, current_version,
         restricted, created_at, created_by, updated_at, updated_by) VALUES ?`,
      [
        chunk.map((s) => [
          s.id,
          workspaceId,
          'WORKSPACE',
          '',
          s.name,
          '****',
          versions,
          0,
          now,
          'bench',
          now,
          'bench',
        ]),
      ],
    );
    const versionRows: unknown[][] = [];
    for (const secret of chunk) {
      for (let version = 1; version <= versions; version += 1) {
        const sealed = await cipher.seal(`value-of-${secret.name}-v${version}`, {
          workspaceId,
          secretId: secret.id,
          version,
        });
        versionRows.push([
          secret.id,
          version,
          sealed.ciphertext,
          sealed.iv,
          sealed.tag,
          sealed.wrappedKey,
          sealed.keyId,
          now,
          'bench',
        ]);
      }
    }
    for (let i = 0; i < versionRows.length; i += ROWS_PER_STATEMENT) {
      await pool.query(
        `INSERT INTO secret_versions (secret_id, version, ciphertext, iv, tag, wrapped_key, key_id,
           created_at, created_by) VALUES ?`,
        [versionRows.slice(i, i + ROWS_PER_STATEMENT)],
      );
    }
    seeded.push(...chunk);
  }
  return seeded;
}
