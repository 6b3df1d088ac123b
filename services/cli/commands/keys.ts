import { signingKeySource } from '../../core/webhooks/signing-key-source.js';
import { createWebhookStore } from '../../storage/webhook-store.js';
import { isKeyringUnavailable } from '../../core/crypto/keyring-errors.js';
import { rewrapDataKeys } from '../../core/crypto/rewrap-data-keys.js';
import { resealLegacyVersions } from '../../core/crypto/reseal-versions.js';
import { integrityRootSource } from '../../core/integrity/integrity-root-source.js';
import { openRuntime } from '../../app/runtime.js';
import type { CommandContext } from '../command.js';
import { operatorName } from '../operator-name.js';
import { rotateKeys } from './keys-rotate.js';
import { keysStatus } from './keys-status.js';

/**
 * `strongroom keys rotate`: a new active master key for the configured provider (keys-rotate.ts).
 * `strongroom keys rewrap [--batch-size N]`: re-wraps every data key to the active key,
 * from whichever keyring wrapped it (a file key, another HSM key, a KMS key).
 * `strongroom keys status`: the provider, whether it answers, what each key still wraps.
 */
export async function keysCommand(context: CommandContext): Promise<number> {
  const [action, ...rest] = context.args;
  if (action === 'rotate') return rotateKeys(context);
  if (action === 'rewrap') return rewrap(context, rest);
  if (action === 'status') return keysStatus(context);
  context.err('usage: strongroom keys rotate | keys rewrap [--batch-size N] | keys status');
  return 2;
}

async function rewrap(context: CommandContext, args: string[]): Promise<number> {
  const sizeFlag = args.indexOf('--batch-size');
  const batchSize = sizeFlag >= 0 ? Number(args[sizeFlag + 1]) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    context.err('--batch-size must be a whole number from 1 to 10000');
    return 2;
  }
  const runtime = await openRuntime(context.config, context.logger);
  try {
    try {
      await runtime.keyring.check();
    } catch (error) {
      context.err(`keys rewrap: ${(error as Error).message}`);
      return 1;
    }
    let committed = 0;
    const result = await rewrapDataKeys({
      secretStore: runtime.secretStore,
      cipher: runtime.cipher,
      keyring: runtime.keyring,
      moreSources: [
        integrityRootSource(runtime.integrityStore, runtime.keyring),
        signingKeySource(createWebhookStore({ dataSource: runtime.dataSource }), runtime.cipher),
      ],
      batchSize,
      onBatch: (p) => {
        committed = p.rewrapped;
        context.logger.info(p, 'rewrap batch committed');
      },
      auditLog: runtime.auditLog,
      actorId: operatorName(),
    }).catch((error: unknown) => {
      if (!isKeyringUnavailable(error)) throw error;
      context.err(
        `keys rewrap stopped after ${committed} data key(s): ${(error as Error).message}; run it again when the provider answers`,
      );
      return undefined;
    });
    if (!result) return 1;
    context.out(
      `rewrapped ${result.rewrapped} data key(s) to ${runtime.keyring.activeKeyId()} in ${result.batches} batch(es)` +
        Object.entries(result.othersBySource)
          .filter(([, moved]) => moved > 0)
          .map(([name, moved]) => (name === 'the integrity root' ? `, and ${name}` : `, ${moved} ${name}`))
          .join('') +
        '; ' +
        `${result.skipped} changed meanwhile, ${result.failed} could not be unwrapped`,
    );
    // Values written before they bound scope and owner are sealed again (SPEC §8.1).
    const resealed = await resealLegacyVersions({
      secretStore: runtime.secretStore,
      cipher: runtime.cipher,
      batchSize,
      onBatch: (p) => context.logger.info(p, 'reseal batch committed'),
    }).catch((error: unknown) => {
      if (!isKeyringUnavailable(error)) throw error;
      context.err(
        `keys rewrap: resealing stopped: ${(error as Error).message}; run it again when the provider answers`,
      );
      return undefined;
    });
    if (!resealed) return 1;
    if (resealed.resealed + resealed.skipped + resealed.failed > 0) {
      context.out(
        `resealed ${resealed.resealed} older value(s) to bind scope and owner; ` +
          `${resealed.skipped} changed meanwhile, ${resealed.failed} could not be opened`,
      );
    }
    return result.failed > 0 || resealed.failed > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
