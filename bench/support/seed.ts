import { randomUUID } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import type { EnvelopeCipher } from '../../services/core/crypto/envelope-cipher.js';
import type { SecretState } from '../../services/core/integrity/secret-state.js';

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
 * to their row, scope and owner, and each state is tagged, so the resolver and
 * `keys rewrap` treat them as their own.
 */
export async function seedSecrets(
  pool: Pool,
  cipher: Pick<EnvelopeCipher, 'seal'>,
  {
    workspaceId,
    count,
    prefix,
    versions = 1,
    tagState,
  }: {
    workspaceId: string;
    count: number;
    prefix: string;
    versions?: number;
    /** The state tag the services would write (SPEC §8.1): the resolver refuses a secret without one. */
    tagState: (state: SecretState) => Promise<string>;
  },
): Promise<SeededSecret[]> {
  const seeded: SeededSecret[] = [];
  const now = new Date();
  for (let start = 0; start < count; start += ROWS_PER_STATEMENT) {
    const chunk = Array.from({ length: Math.min(ROWS_PER_STATEMENT, count - start) }, (_, i) => ({
      id: randomUUID(),
      name: secretName(prefix, start + i),
    }));
    const tags = await Promise.all(
      chunk.map((s) =>
        tagState({
          id: s.id,
          workspaceId,
          scope: 'WORKSPACE',
          ownerId: '',
          name: s.name,
          currentVersion: versions,
          systemManaged: false,
          integration: '',
          restricted: false,
          members: [],
        }),
      ),
    );
    await pool.query(
      `INSERT INTO secrets (id, workspace_id, scope, owner_id, name, masked_preview, current_version,
         restricted, created_at, created_by, updated_at, updated_by, state_tag) VALUES ?`,
      [
        chunk.map((s, i) => [
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
          tags[i],
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
          scope: 'WORKSPACE',
          ownerId: '',
        });
        versionRows.push([
          secret.id,
          version,
          sealed.ciphertext,
          sealed.iv,
          sealed.tag,
          sealed.wrappedKey,
          sealed.keyId,
          sealed.binding,
          now,
          'bench',
        ]);
      }
    }
    for (let i = 0; i < versionRows.length; i += ROWS_PER_STATEMENT) {
      await pool.query(
        `INSERT INTO secret_versions (secret_id, version, ciphertext, iv, tag, wrapped_key, key_id,
           binding, created_at, created_by) VALUES ?`,
        [versionRows.slice(i, i + ROWS_PER_STATEMENT)],
      );
    }
    seeded.push(...chunk);
  }
  return seeded;
}
