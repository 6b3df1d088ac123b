import type { DataSource } from 'typeorm';
import type { SealedValue } from './sealed-value.js';
import type { SecretScope } from '../protocol/vocabulary.js';
import { SecretEntity } from './entities/secret-entity.js';
import { DEFAULT_DB_STATEMENT_TIMEOUT_MS } from './statement-timeout.js';
import { withStorageErrors } from './storage-errors.js';
import { runOnPool } from './mysql2-pool.js';
import { sqlDialect, type SqlDialect } from './sql-dialect.js';

/** A resolution candidate: a secret with the sealed form of its current version. */
export interface CandidateSecret {
  id: string;
  workspaceId: string;
  scope: SecretScope;
  ownerId: string;
  name: string;
  version: number;
  restricted: boolean;
  /** Whether the principal asked about is a member of this secret (meaningful when restricted). */
  principalIsMember: boolean;
  systemManaged: boolean;
  integration: string;
  /** Every member and role, in no promised order: what the state tag covers. */
  members: Array<{ userId: string; role: string }>;
  /** The HMAC over this state (SPEC §8.1), '' when untagged; checked in core. */
  stateTag: string;
  /** The version the sealed value's AAD binds when a restore copied it (SPEC §5.1); null for its own. */
  sealedAs: number | null;
  /** After this the resolver refuses it (SPEC §5.1); null without expiry. */
  expiresAt: Date | null;
  sealed: SealedValue;
}

interface CandidateRaw {
  grp: number | string;
  generation: number | string;
  /** Null on the row of a lookup that matched nothing. */
  id: string | null;
  workspaceId: string;
  scope: SecretScope;
  ownerId: string;
  name: string;
  version: number | string;
  restricted: number | boolean | string;
  principalIsMember: number | boolean | string;
  systemManaged: number | boolean | string;
  integration: string;
  /** `ROLE user,ROLE user`; null without members. */
  members: string | null;
  stateTag: string;
  binding: number | string;
  sealedAs: number | string | null;
  expiresAt: Date | string | null;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  wrappedKey: Buffer;
  keyId: string;
}

const truthy = (v: number | boolean | string): boolean => v === true || Number(v) === 1;

/** Secrets per `touchLastUsed` statement. */
const TOUCHES_PER_STATEMENT = 200;

/**
 * What a lookup found, and the generation of its workspace in the same snapshot: the
 * candidates are exactly current for as long as the generation has not moved.
 */
export interface CandidateSnapshot {
  generation: number;
  candidates: CandidateSecret[];
}

/** One lookup of a resolve: the names a principal asks for in a workspace. */
export interface CandidateQuery {
  workspaceId: string;
  principal: string;
  names: readonly string[];
}

/**
 * The members of a candidate as one text, `ROLE user,ROLE user` (a space and a comma
 * appear in no role or user id), from the secret_members primary key; null without
 * members. MariaDB's GROUP_CONCAT is bounded by group_concat_max_len, which every
 * connection raises (data-source.ts).
 */
const MEMBERS_COLUMN: Record<SqlDialect, string> = {
  mysql: `(SELECT GROUP_CONCAT(CONCAT(m2.role, ' ', m2.user_id) SEPARATOR ',')
        FROM secret_members m2 WHERE m2.secret_id = s.id) AS members`,
  sqlite: `(SELECT group_concat(m2.role || ' ' || m2.user_id, ',')
        FROM secret_members m2 WHERE m2.secret_id = s.id) AS members`,
};

const candidateColumns = (
  dialect: SqlDialect,
) => `s.id AS id, s.workspace_id AS workspaceId, s.scope AS scope, s.owner_id AS ownerId,
      s.name AS name, s.restricted AS restricted, s.system_managed AS systemManaged,
      s.integration AS integration, s.state_tag AS stateTag, s.expires_at AS expiresAt,
      ${MEMBERS_COLUMN[dialect]},
      v.version AS version, v.ciphertext AS ciphertext, v.binding AS binding, v.sealed_as AS sealedAs,
      v.iv AS iv, v.tag AS tag, v.wrapped_key AS wrappedKey, v.key_id AS keyId,
      CASE WHEN s.restricted = 1 AND EXISTS (
        SELECT 1 FROM secret_members m WHERE m.secret_id = s.id AND m.user_id = ?
      ) THEN 1 ELSE 0 END AS principalIsMember`;

/**
 * The candidate statement for `count` names, rows tagged with `group`. Plain SQL both
 * databases accept; the membership of the principal rides along (EXISTS on the
 * secret_members primary key) so a resolve is one round trip whether or not a secret
 * is restricted. The workspace's generation (see the secret-generations migration) is
 * read in the same statement, so it is exactly the generation the rows belong to; the
 * one-row side of the LEFT JOIN carries it even when no name matched.
 */
function candidateSql(dialect: SqlDialect, count: number, group = 0): string {
  return `SELECT ${group} AS grp, g.generation AS generation, c.*
    FROM (SELECT COALESCE(
        (SELECT generation FROM secret_generations WHERE workspace_id = ?), 0) AS generation) g
    LEFT JOIN (SELECT ${candidateColumns(dialect)}
      FROM secrets s
      INNER JOIN secret_versions v ON v.secret_id = s.id AND v.version = s.current_version
      WHERE s.workspace_id = ? AND s.name IN (${Array(count).fill('?').join(', ')})
        AND (s.scope = 'WORKSPACE' OR (s.scope = 'PERSONAL' AND s.owner_id = ?))) c ON 1 = 1`;
}

/**
 * Name lists are padded (with their last name: IN ignores repeats) to the next power
 * of two, so a connection prepares at most a dozen statement texts however the
 * lookups of concurrent calls combine.
 */
const paddedLength = (count: number): number => 2 ** Math.ceil(Math.log2(Math.max(count, 1)));
const padNames = (names: readonly string[]): string[] => {
  const padded = [...names];
  while (padded.length < paddedLength(names.length)) padded.push(names[names.length - 1]!);
  return padded;
};

/**
 * The parameters of a candidate statement: the workspace, the principal whose
 * membership is read, the names, and whose personal secrets are candidates. A PERSONAL
 * secret always has an owner, so an empty owner matches none of them.
 */
const candidateParams = (
  principal: string,
  workspaceId: string,
  names: readonly string[],
  personalOwner = principal,
): unknown[] => [workspaceId, principal, workspaceId, ...names, personalOwner];

const toCandidate = (r: CandidateRaw & { id: string }): CandidateSecret => ({
  id: r.id,
  workspaceId: r.workspaceId,
  scope: r.scope,
  ownerId: r.ownerId,
  name: r.name,
  version: Number(r.version),
  restricted: truthy(r.restricted),
  principalIsMember: truthy(r.principalIsMember),
  systemManaged: truthy(r.systemManaged),
  integration: r.integration,
  members: parseMembers(r.members),
  stateTag: r.stateTag,
  sealedAs: r.sealedAs === null ? null : Number(r.sealedAs),
  expiresAt: dateOf(r.expiresAt),
  sealed: {
    ciphertext: r.ciphertext,
    iv: r.iv,
    tag: r.tag,
    wrappedKey: r.wrappedKey,
    keyId: r.keyId,
    binding: Number(r.binding),
  },
});

/**
 * A DATETIME column read raw: a Date from mysql2 (UTC session), TypeORM's UTC text
 * (`YYYY-MM-DD HH:MM:SS.SSS`) from SQLite.
 */
export function dateOf(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}Z`);
}

/** `ROLE user,ROLE user` as members. */
function parseMembers(text: string | null): Array<{ userId: string; role: string }> {
  if (!text) return [];
  return text.split(',').map((entry) => {
    const space = entry.indexOf(' ');
    return { role: entry.slice(0, space), userId: entry.slice(space + 1) };
  });
}

/** The reads and the one write the resolver needs, shaped for a single round trip each. */
export function createResolutionStore({
  dataSource,
  statementTimeoutMs = DEFAULT_DB_STATEMENT_TIMEOUT_MS,
}: {
  dataSource: DataSource;
  /** How long a candidate lookup may take on MariaDB (see runOnPool). */
  statementTimeoutMs?: number;
}) {
  const dialect = sqlDialect(dataSource);
  // One statement text per name count, so MariaDB prepares each once per connection.
  const statements = new Map<number, string>();
  const statementFor = (count: number): string => {
    let sql = statements.get(count);
    if (!sql) statements.set(count, (sql = candidateSql(dialect, count)));
    return sql;
  };

  /** Runs a read as a server-side prepared statement on MariaDB (text SQL on SQLite). */
  function queryPrepared<T>(sql: string, params: unknown[]): Promise<T[]> {
    if (dataSource.options.type !== 'mysql') return dataSource.query(sql, params);
    return runOnPool<T[]>(dataSource, 'execute', sql, params, statementTimeoutMs);
  }

  /**
   * Every workspace secret with one of `names`, and every personal secret of
   * `principal` with one of them, each joined to its current version in the same
   * statement so a concurrent rotation is seen whole or not at all, and marked with
   * whether `principal` is a member of it. One round trip, nothing cached.
   */
  async function findCandidates(
    workspaceId: string,
    principal: string,
    names: readonly string[],
    { personalSecrets = true }: { personalSecrets?: boolean } = {},
  ): Promise<CandidateSecret[]> {
    if (!personalSecrets) {
      // Never read: the workspace secrets alone, with the principal's membership of each.
      const padded = padNames(names);
      const rows = await queryPrepared<CandidateRaw>(
        statementFor(padded.length),
        candidateParams(principal, workspaceId, padded, ''),
      );
      return rows.filter((r): r is CandidateRaw & { id: string } => r.id !== null).map(toCandidate);
    }
    const [snapshot] = await findCandidateSnapshots([{ workspaceId, principal, names }]);
    return snapshot!.candidates;
  }

  /**
   * `findCandidates` for several lookups in one statement, answered in order, each with
   * its workspace's generation. Lookups of the same principal in the same workspace
   * share one name list; different ones are tagged parts of a UNION ALL. One statement
   * is one snapshot, so every lookup in it sees the same committed state, none older
   * than the moment the statement was sent.
   */
  async function findCandidateSnapshots(queries: readonly CandidateQuery[]): Promise<CandidateSnapshot[]> {
    const groups = new Map<string, { workspaceId: string; principal: string; names: Set<string> }>();
    const groupOf = queries.map((q) => {
      const key = JSON.stringify([q.workspaceId, q.principal]);
      let group = groups.get(key);
      if (!group)
        groups.set(key, (group = { workspaceId: q.workspaceId, principal: q.principal, names: new Set() }));
      for (const name of q.names) group.names.add(name);
      return group;
    });
    const asked = [...groups.values()].filter((g) => g.names.size > 0);
    const found = new Map<object, CandidateSnapshot>();
    let rows: CandidateRaw[] = [];
    if (asked.length === 1) {
      const [group] = asked;
      const names = padNames([...group!.names]);
      rows = await queryPrepared<CandidateRaw>(
        statementFor(names.length),
        candidateParams(group!.principal, group!.workspaceId, names),
      );
    } else if (asked.length > 1) {
      // Varying in shape, so sent as text: preparing each shape would fill the server's
      // prepared-statement table.
      rows = (await dataSource.query(
        asked.map((g, i) => candidateSql(dialect, g.names.size, i)).join('\n    UNION ALL\n    '),
        asked.flatMap((g) => candidateParams(g.principal, g.workspaceId, [...g.names])),
      )) as CandidateRaw[];
    }
    for (const row of rows) {
      const group = asked[Number(row.grp)]!;
      let snapshot = found.get(group);
      if (!snapshot) found.set(group, (snapshot = { generation: Number(row.generation), candidates: [] }));
      if (row.id !== null) snapshot.candidates.push(toCandidate(row as CandidateRaw & { id: string }));
    }
    return queries.map((q, i) => {
      const wanted = new Set(q.names);
      const snapshot = found.get(groupOf[i]!);
      if (!snapshot) return { generation: 0, candidates: [] };
      return {
        generation: snapshot.generation,
        candidates: snapshot.candidates.filter((c) => wanted.has(c.name)),
      };
    });
  }

  return withStorageErrors({
    findCandidates,
    findCandidateSnapshots,

    /**
     * Moves each secret's last_used_at forward to its time, never back (replicas flush
     * in any order). One statement per 200 secrets, so a flush costs a few statements
     * however many secrets were used since the last one.
     */
    async touchLastUsed(uses: ReadonlyArray<{ secretId: string; at: Date }>): Promise<void> {
      for (let start = 0; start < uses.length; start += TOUCHES_PER_STATEMENT) {
        const chunk = uses.slice(start, start + TOUCHES_PER_STATEMENT);
        const parameters: Record<string, unknown> = { ids: chunk.map((u) => u.secretId) };
        const timeOfEach = `CASE id ${chunk
          .map((use, i) => {
            parameters[`id${i}`] = use.secretId;
            parameters[`at${i}`] = use.at;
            return `WHEN :id${i} THEN :at${i}`;
          })
          .join(' ')} END`;
        await dataSource.manager
          .createQueryBuilder()
          .update(SecretEntity)
          .set({ lastUsedAt: () => timeOfEach })
          .where('id IN (:...ids)')
          .andWhere(`(last_used_at IS NULL OR last_used_at < ${timeOfEach})`)
          .setParameters(parameters)
          .execute();
      }
    },
  });
}

export type ResolutionStore = ReturnType<typeof createResolutionStore>;
