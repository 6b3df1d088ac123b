import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { SecretScope } from '../protocol/vocabulary.js';
import { SecretEntity, type SecretRow } from './entities/secret-entity.js';
import { SecretMemberEntity, type SecretMemberRow } from './entities/secret-member-entity.js';
import { withStorageErrors } from './storage-errors.js';

export interface SecretListQuery {
  workspaceId: string;
  /** Personal secrets are listed only for their owner. */
  viewerId: string;
  scope?: SecretScope;
  includeSystemManaged: boolean;
  nameContains?: string;
  /** Only secrets with an expiry at or before this time (SPEC §5.1 `expiringWithinDays`). */
  expiresBefore?: Date;
  /** Only secrets whose rotation is (overdue) or is not (not overdue) due at `at`. */
  rotationDue?: { overdue: boolean; at: Date };
  /** Keyset position: list secrets after (name, id). */
  after?: [string, string];
  limit: number;
}

/** Listing queries for the metadata API: keyset pagination by (name, id), indexed by workspace. */
export function createSecretListingStore({ dataSource }: { dataSource: DataSource }) {
  /** The filters other than who may see what, shared by the page and its counts. */
  const narrowed = (
    qb: SelectQueryBuilder<SecretRow>,
    q: Omit<SecretListQuery, 'after' | 'limit'>,
  ): SelectQueryBuilder<SecretRow> => {
    if (q.scope) qb.andWhere('s.scope = :scope', { scope: q.scope });
    if (!q.includeSystemManaged) qb.andWhere('s.systemManaged = :no', { no: false });
    if (q.nameContains) {
      // '!' as the LIKE escape: a backslash means different things in MySQL and SQLite literals.
      const pattern = `%${q.nameContains.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
      qb.andWhere("LOWER(s.name) LIKE :pattern ESCAPE '!'", { pattern });
    }
    if (q.expiresBefore)
      qb.andWhere('s.expiresAt IS NOT NULL AND s.expiresAt <= :expiresBefore', {
        expiresBefore: q.expiresBefore,
      });
    if (q.rotationDue) {
      qb.andWhere(
        q.rotationDue.overdue
          ? 's.rotationDueAt IS NOT NULL AND s.rotationDueAt <= :dueAt'
          : '(s.rotationDueAt IS NULL OR s.rotationDueAt > :dueAt)',
        { dueAt: q.rotationDue.at },
      );
    }
    return qb;
  };

  const filtered = (q: Omit<SecretListQuery, 'after' | 'limit'>): SelectQueryBuilder<SecretRow> =>
    narrowed(
      dataSource.manager
        .createQueryBuilder(SecretEntity, 's')
        .where('s.workspaceId = :workspaceId', { workspaceId: q.workspaceId })
        .andWhere("(s.scope = 'WORKSPACE' OR (s.scope = 'PERSONAL' AND s.ownerId = :viewerId))", {
          viewerId: q.viewerId,
        }),
      q,
    );

  /**
   * Secrets of one scope and owner (`''` for workspace secrets): equality on the
   * leading columns of ix_secrets_listing, so the count never reads the rows.
   */
  const branchCount = (q: Omit<SecretListQuery, 'after' | 'limit'>, scope: SecretScope, ownerId: string) =>
    narrowed(
      dataSource.manager
        .createQueryBuilder(SecretEntity, 's')
        .where('s.workspaceId = :workspaceId', { workspaceId: q.workspaceId })
        .andWhere('s.scope = :branchScope AND s.ownerId = :ownerId', { branchScope: scope, ownerId }),
      q,
    ).getCount();

  return withStorageErrors({
    async list(q: SecretListQuery): Promise<SecretRow[]> {
      const qb = filtered(q);
      if (q.after) {
        qb.andWhere('(s.name > :afterName OR (s.name = :afterName AND s.id > :afterId))', {
          afterName: q.after[0],
          afterId: q.after[1],
        });
      }
      return qb.orderBy('s.name', 'ASC').addOrderBy('s.id', 'ASC').limit(q.limit).getMany();
    },

    /** The same set as `list` without the keyset: the workspace branch plus the viewer's personal branch. */
    async count(q: Omit<SecretListQuery, 'after' | 'limit'>): Promise<number> {
      const [workspace, personal] = await Promise.all([
        q.scope === 'PERSONAL' ? 0 : branchCount(q, 'WORKSPACE', ''),
        q.scope === 'WORKSPACE' ? 0 : branchCount(q, 'PERSONAL', q.viewerId),
      ]);
      return workspace + personal;
    },

    /** Members of many secrets in one query, for a page of results. */
    async membersOf(secretIds: string[]): Promise<Map<string, SecretMemberRow[]>> {
      const bySecret = new Map<string, SecretMemberRow[]>(secretIds.map((id) => [id, []]));
      if (secretIds.length === 0) return bySecret;
      const rows = await dataSource.manager
        .createQueryBuilder(SecretMemberEntity, 'm')
        .where('m.secretId IN (:...ids)', { ids: secretIds })
        .orderBy('m.userId', 'ASC')
        .getMany();
      for (const row of rows) bySecret.get(row.secretId)?.push(row);
      return bySecret;
    },
  });
}

export type SecretListingStore = ReturnType<typeof createSecretListingStore>;
