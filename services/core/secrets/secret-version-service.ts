import { badInput } from '../../protocol/domain-error.js';
import type { SecretStore, VersionSummary } from '../../storage/secret-store.js';
import { auditActor } from '../audit/audit-actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { decodeCursor, encodeCursor, pageSize } from '../pagination/cursor.js';
import { PREVIEW_MASK } from './masked-preview.js';
import { aboutSecret } from './secret-audit-fields.js';
import { asMembers, type SecretChangeRunner } from './secret-change.js';
import { notFound } from './secret-errors.js';
import { secretPermissions as can } from './secret-permissions.js';
import type { SecretValueWriter } from './secret-value-writer.js';
import { toSecretView, type Page, type SecretView } from './secret-types.js';

/** What the API shows of one version (SPEC §5.1): never its value. */
export interface SecretVersionView {
  version: number;
  createdAt: Date;
  createdBy: string;
  maskedPreview: string;
  restoredFrom: number | null;
  destroyed: boolean;
}

const toVersionView = (v: VersionSummary): SecretVersionView => ({
  version: Number(v.version),
  createdAt: v.createdAt,
  createdBy: v.createdBy,
  // Versions written before previews were kept per version show the mask alone.
  maskedPreview: v.maskedPreview ?? PREVIEW_MASK,
  restoredFrom: v.restoredFrom == null ? null : Number(v.restoredFrom),
  destroyed: v.destroyedAt != null,
});

const assertVersion = (version: number): void => {
  if (!Number.isInteger(version) || version < 1)
    throw badInput('version', 'version must be a positive whole number.');
};

/**
 * A secret's versions (SPEC §5.1): list them, restore an old value as a new version
 * without decrypting it, destroy a non-current version's sealed value for good. Who may
 * list is who may see the secret; restore and destroy are changes (§4: rotate rights).
 */
export function createSecretVersionService({
  secretStore,
  writer,
  auditLog,
  changes,
  clock = () => new Date(),
}: {
  secretStore: Pick<
    SecretStore,
    'findSecretById' | 'listVersionSummaries' | 'countVersions' | 'findVersion' | 'destroyVersions'
  >;
  writer: Pick<SecretValueWriter, 'restore'>;
  auditLog: Pick<AuditLog, 'append'>;
  changes: SecretChangeRunner;
  clock?: () => Date;
}) {
  return {
    /** Newest first; a page of a secret the caller can see (the field resolver has already shown it). */
    async listVersions(
      p: Principal,
      secretId: string,
      first?: number | null,
      after?: string | null,
    ): Promise<Page<SecretVersionView>> {
      const limit = pageSize(first ?? 20);
      const secret = await secretStore.findSecretById(secretId);
      if (!secret || !can.canSee(p, secret)) throw notFound();
      const beforeVersion = after
        ? decodeCursor(after, (k): k is [number] => k.length === 1 && Number.isInteger(k[0]))[0]
        : undefined;
      const [rows, totalCount] = await Promise.all([
        secretStore.listVersionSummaries(secretId, { beforeVersion, limit: limit + 1 }),
        secretStore.countVersions(secretId),
      ]);
      return {
        items: rows.slice(0, limit).map((row) => ({
          cursor: encodeCursor([Number(row.version)]),
          node: toVersionView(row),
        })),
        hasNextPage: rows.length > limit,
        totalCount,
      };
    },

    /** A new version whose value is that of `version`; audited `secret.restore` (reason names the source). */
    restoreSecretVersion(p: Principal, input: { id: string; version: number }): Promise<SecretView> {
      assertVersion(input.version);
      return changes.change(p, 'secret.restore', async (tx) => {
        const { secret, members } = await changes.lockForChange(tx, p, input.id);
        if (input.version === Number(secret.currentVersion))
          throw badInput('version', `Version ${input.version} is already the current version.`);
        if (input.version > Number(secret.currentVersion)) throw notFound('version');
        const restored = await writer.restore(tx, secret, input.version, p.subject, clock());
        if (!restored)
          throw badInput('version', `Version ${input.version} was destroyed and cannot be restored.`);
        await auditLog.append(tx, [
          {
            action: 'secret.restore',
            outcome: 'SUCCESS',
            ...auditActor(p),
            ...aboutSecret(restored),
            reason: `restored from version ${input.version}`,
          },
        ]);
        return toSecretView(restored, asMembers(members));
      });
    },

    /** Destroys a non-current version's ciphertext for good; audited `secret.destroy_version`. */
    destroySecretVersion(p: Principal, input: { id: string; version: number }): Promise<SecretView> {
      assertVersion(input.version);
      return changes.change(p, 'secret.destroy_version', async (tx) => {
        const { secret, members } = await changes.lockForChange(tx, p, input.id);
        if (input.version === Number(secret.currentVersion))
          throw badInput('version', 'The current version cannot be destroyed: rotate or restore first.');
        const found = await secretStore.findVersion(secret.id, input.version, tx);
        if (!found) throw notFound('version');
        await secretStore.destroyVersions(tx, secret.id, [input.version], clock());
        await auditLog.append(tx, [
          {
            action: 'secret.destroy_version',
            outcome: 'SUCCESS',
            ...auditActor(p),
            ...aboutSecret({ ...secret, currentVersion: input.version }),
          },
        ]);
        return toSecretView(secret, asMembers(members));
      });
    },
  };
}

export type SecretVersionService = ReturnType<typeof createSecretVersionService>;
