import { existsSync, readFileSync, statSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { verifyAuditLog, type AuditVerification } from '../../core/audit/audit-verifier.js';
import { readCheckpointFiles } from '../../core/audit/checkpoint-files.js';
import { openKeyring } from '../../core/config/open-keyring.js';
import { publicKeyFromText, readIntegrityKeys } from '../../core/integrity/integrity-keys.js';
import type { IntegrityStore } from '../../storage/integrity-store.js';
import type { CommandContext } from '../command.js';
import { parseDurationSeconds } from '../duration.js';
import { openAuditStorage, type Flags } from './audit-storage.js';

type UsageError = (context: CommandContext, problem: string) => number;

/**
 * `strongroom audit verify`: walks every chain and holds the log to the newest signed
 * checkpoint (SPEC §8.1). The key to check signatures comes from `--public-key` (an
 * auditor's machine: no keyring, a copy of the database and of the checkpoint files)
 * or else from the keyring; never from the database. Exits 0 when the log verifies, 1
 * when it does not (naming the check that failed), 2 on bad usage.
 */
export async function verifyAuditCommand(context: CommandContext, flags: Flags, usageError: UsageError) {
  const maxAgeText = flags.get('--max-checkpoint-age');
  let maxAgeSeconds = context.config.auditCheckpoints.maxAgeSeconds;
  if (maxAgeText !== undefined) {
    const parsed = typeof maxAgeText === 'string' ? parseDurationSeconds(maxAgeText) : null;
    if (parsed === null)
      return usageError(context, '--max-checkpoint-age must be a duration such as 600, 10m or 36h');
    maxAgeSeconds = parsed;
  }
  const dir = flags.get('--checkpoints');
  if (typeof dir === 'string' && !(existsSync(dir) && statSync(dir).isDirectory())) {
    return usageError(context, `--checkpoints: ${dir} is not a directory`);
  }
  let givenKey: KeyObject | undefined;
  const keyFlag = flags.get('--public-key');
  if (typeof keyFlag === 'string') {
    try {
      givenKey = publicKeyFromText(existsSync(keyFlag) ? readFileSync(keyFlag, 'utf8') : keyFlag);
    } catch {
      return usageError(
        context,
        '--public-key must be the key `strongroom audit public-key` printed, or a file holding it',
      );
    }
  }
  const storage = await openAuditStorage(context.config, context.logger);
  try {
    const publicKey = givenKey ?? (await keyFromKeyring(context, storage.integrityStore));
    if (publicKey === 'unavailable') return 2;
    const result = await verifyAuditLog(storage.auditStore, {
      checkpointStore: storage.checkpointStore,
      publicKey,
      external: typeof dir === 'string' ? await readCheckpointFiles(dir) : undefined,
      maxCheckpointAgeMs: maxAgeSeconds * 1000,
    });
    print(context, result, flags.has('--json'));
    return result.ok ? 0 : 1;
  } finally {
    await storage.close();
  }
}

/** The public key derived from the root the keyring unseals; undefined when the database has no root yet. */
async function keyFromKeyring(
  context: CommandContext,
  integrityStore: IntegrityStore,
): Promise<KeyObject | undefined | 'unavailable'> {
  let keyring;
  try {
    keyring = await openKeyring(context.config);
    return (await readIntegrityKeys({ keyring, integrityStore }))?.publicKey;
  } catch (error) {
    context.err(
      `the keyring could not open the audit key (${(error as Error).message}); ` +
        'on a machine without the keyring pass --public-key (from `strongroom audit public-key`)',
    );
    return 'unavailable';
  } finally {
    await keyring?.close();
  }
}

function print(context: CommandContext, result: AuditVerification, json: boolean): void {
  if (json) {
    context.out(JSON.stringify(result));
    return;
  }
  context.out(`ok: ${result.ok}`);
  context.out(`checked: ${result.checked}`);
  context.out(
    `checkpoint: ${result.checkpointSeq === null ? 'none' : `${result.checkpointSeq} at ${result.checkpointAt!.toISOString()}`}`,
  );
  context.out(`firstBrokenId: ${result.firstBrokenId ?? 'none'}`);
  if (result.failedCheck) context.out(`failed check: ${result.failedCheck}`);
  if (result.problem) context.out(`problem: ${result.problem}`);
}
