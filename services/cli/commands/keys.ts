import { isKeyringUnavailable } from '../../core/crypto/keyring-errors.js';
import { rewrapDataKeys } from '../../core/crypto/rewrap-data-keys.js';
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
      moreSources: [integrityRootSource(runtime.integrityStore, runtime.keyring)],
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
        `${result.others > 0 ? ', and the integrity root' : ''}; ` +
        `${result.skipped} changed meanwhile, ${result.failed} could not be unwrapped`,
    );
    return result.failed > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
