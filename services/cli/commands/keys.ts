import { rotateKeyringFile, ensureKeyringFile, generateMasterKey } from '../../core/crypto/keyring-file.js';
import { rewrapDataKeys } from '../../core/crypto/rewrap-data-keys.js';
import { openRuntime } from '../../app/runtime.js';
import type { CommandContext } from '../command.js';
import { operatorName } from '../operator-name.js';

/**
 * `strongroom keys rotate`: adds a new active master key to the keyring file.
 * `strongroom keys rewrap [--batch-size N]`: re-wraps every data key to the active key.
 */
export async function keysCommand(context: CommandContext): Promise<number> {
  const [action, ...rest] = context.args;
  if (action === 'rotate') return rotate(context);
  if (action === 'rewrap') return rewrap(context, rest);
  context.err('usage: strongroom keys rotate | strongroom keys rewrap [--batch-size N]');
  return 2;
}

function rotate({ config, out, err }: CommandContext): number {
  const source = config.masterKeys;
  if (source.kind === 'env') {
    const key = generateMasterKey();
    err('STRONGROOM_MASTER_KEYS comes from the environment, which this command cannot change.');
    err(
      'Append this entry to it (the last key is the active one), restart the services, then run `keys rewrap`:',
    );
    out(`,${key.id}:${key.key.toString('base64')}`);
    return 1;
  }
  if (source.kind === 'dev-file') ensureKeyringFile(source.path);
  const key = rotateKeyringFile(source.path);
  out(`added master key ${key.id} to ${source.path}; it is now the active key`);
  out(
    'running services pick it up within a second; run `strongroom keys rewrap` to re-wrap existing data keys',
  );
  return 0;
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
    const result = await rewrapDataKeys({
      secretStore: runtime.secretStore,
      cipher: runtime.cipher,
      keyring: runtime.keyring,
      batchSize,
      onBatch: (p) => context.logger.info(p, 'rewrap batch committed'),
      auditLog: runtime.auditLog,
      actorId: operatorName(),
    });
    context.out(
      `rewrapped ${result.rewrapped} data key(s) to ${runtime.keyring.activeKeyId()} in ${result.batches} batch(es); ` +
        `${result.skipped} changed meanwhile, ${result.failed} could not be unwrapped`,
    );
    return result.failed > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
