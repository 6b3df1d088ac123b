import { In, type DataSource } from 'typeorm';
import type { SealedValue } from '../core/crypto/envelope-cipher.js';
import { SecretEntity, type SecretScope } from './entities/secret-entity.js';
import { SecretMemberEntity } from './entities/secret-member-entity.js';
import { SecretVersionEntity } from './entities/secret-version-entity.js';

/** A resolution candidate: a secret with the sealed form of its current version. */
export interface CandidateSecret {
  id: string;
  workspaceId: string;
  scope: SecretScope;
  ownerId: string;
  name: string;
  version: number;
  restricted: boolean;
  sealed: SealedValue;
}

interface CandidateRaw {
  id: string;
  workspaceId: string;
  scope: SecretScope;
  ownerId: string;
  name: string;
  version: number | string;
  restricted: number | boolean | string;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  wrappedKey: Buffer;
  keyId: string;
}

/** The reads and the one write the resolver needs, shaped for a single round trip each. */
export function createResolutionStore({ dataSource }: { dataSource: DataSource }) {
  return {
    /**
     * Every workspace secret with one of `names`, and every personal secret of
     * `principal` with one of them, each joined to its current version in the same
     * statement so a concurrent rotation is seen whole or not at all.
     */
    async findCandidates(
      workspaceId: string,
      principal: string,
      names: string[],
    ): Promise<CandidateSecret[]> {
      if (names.length === 0) return [];
      const rows = await dataSource.manager
        .createQueryBuilder(SecretEntity, 's')
        .innerJoin(
          SecretVersionEntity.options.name,
          'v',
          'v.secretId = s.id AND v.version = s.currentVersion',
        )
        .select('s.id', 'id')
        .addSelect('s.workspaceId', 'workspaceId')
        .addSelect('s.scope', 'scope')
        .addSelect('s.ownerId', 'ownerId')
        .addSelect('s.name', 'name')
        .addSelect('s.restricted', 'restricted')
        .addSelect('v.version', 'version')
        .addSelect('v.ciphertext', 'ciphertext')
        .addSelect('v.iv', 'iv')
        .addSelect('v.tag', 'tag')
        .addSelect('v.wrappedKey', 'wrappedKey')
        .addSelect('v.keyId', 'keyId')
        .where('s.workspaceId = :workspaceId', { workspaceId })
        .andWhere('s.name IN (:...names)', { names })
        .andWhere("(s.scope = 'WORKSPACE' OR (s.scope = 'PERSONAL' AND s.ownerId = :principal))", {
          principal,
        })
        .getRawMany<CandidateRaw>();
      return rows.map((r) => ({
        id: r.id,
        workspaceId: r.workspaceId,
        scope: r.scope,
        ownerId: r.ownerId,
        name: r.name,
        version: Number(r.version),
        restricted: r.restricted === true || Number(r.restricted) === 1,
        sealed: { ciphertext: r.ciphertext, iv: r.iv, tag: r.tag, wrappedKey: r.wrappedKey, keyId: r.keyId },
      }));
    },

    /** The ids among `secretIds` that list `userId` as a member (any role). */
    async findMemberships(secretIds: string[], userId: string): Promise<Set<string>> {
      if (secretIds.length === 0) return new Set();
      const rows = await dataSource.manager.find(SecretMemberEntity, {
        select: { secretId: true },
        where: { secretId: In(secretIds), userId },
      });
      return new Set(rows.map((r) => r.secretId));
    },

    /** Moves last_used_at forward only (replicas flush in any order). */
    async touchLastUsed(secretId: string, at: Date): Promise<void> {
      await dataSource.manager
        .createQueryBuilder()
        .update(SecretEntity)
        .set({ lastUsedAt: at })
        .where('id = :secretId', { secretId })
        .andWhere('(last_used_at IS NULL OR last_used_at < :at)', { at })
        .execute();
    },
  };
}

export type ResolutionStore = ReturnType<typeof createResolutionStore>;
