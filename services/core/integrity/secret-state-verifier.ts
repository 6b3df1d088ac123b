import type { SecretStore } from '../../storage/secret-store.js';
import type { SecretStateTags } from './secret-state.js';
import { stateOfRow } from './secret-state-sealer.js';

/** A secret whose state does not verify: the resolver refuses it (DATA_LOSS). */
export interface TamperedSecret {
  id: string;
  workspaceId: string;
  scope: string;
  ownerId: string;
  name: string;
  /** `untagged`: its tag was removed; `mismatch`: something its tag covers was changed. */
  reason: 'untagged' | 'mismatch';
}

/**
 * Checks every secret's state tag (SPEC §8.1), in pages of `batchSize`, each secret read
 * with its members as one transaction sees it. Returns how many were checked and those
 * that fail: what `strongroom secrets verify` lists.
 */
export async function findTamperedSecrets({
  secretStore,
  tags,
  batchSize = 500,
}: {
  secretStore: Pick<
    SecretStore,
    'listSecretIds' | 'findSecretById' | 'listMembers' | 'findVersion' | 'transaction'
  >;
  tags: Pick<SecretStateTags, 'checker'>;
  batchSize?: number;
}): Promise<{ checked: number; tampered: TamperedSecret[] }> {
  const verifies = await tags.checker();
  const tampered: TamperedSecret[] = [];
  let checked = 0;
  for (let afterId = ''; ;) {
    const ids = await secretStore.listSecretIds(afterId, batchSize);
    if (ids.length === 0) break;
    await secretStore.transaction(async (tx) => {
      for (const id of ids) {
        const row = await secretStore.findSecretById(id, tx);
        if (!row) continue; // deleted meanwhile
        checked += 1;
        const members = await secretStore.listMembers(id, tx);
        const current = await secretStore.findVersion(id, Number(row.currentVersion), tx);
        const sealedAs = current?.sealedAs == null ? null : Number(current.sealedAs);
        if (row.stateTag !== '' && verifies(stateOfRow(row, members, sealedAs), row.stateTag)) continue;
        tampered.push({
          id,
          workspaceId: row.workspaceId,
          scope: row.scope,
          ownerId: row.ownerId,
          name: row.name,
          reason: row.stateTag === '' ? 'untagged' : 'mismatch',
        });
      }
    });
    afterId = ids.at(-1)!;
  }
  return { checked, tampered };
}
