import { openRuntime } from '../../app/runtime.js';
import { DomainError } from '../../protocol/domain-error.js';
import type { CommandContext } from '../command.js';

/**
 * `strongroom audit checkpoint`: signs a checkpoint of every chain now (SPEC §8.1),
 * after checking that the log continues the newest one. Exits 1, signing nothing, when
 * it does not.
 */
export async function checkpointCommand(context: CommandContext): Promise<number> {
  const runtime = await openRuntime(context.config, context.logger);
  try {
    const written = await runtime.checkpoints.write('command', { force: true });
    if (written) {
      context.out(
        `checkpoint ${written.seq} signed at ${written.createdAt.toISOString()} (hash ${written.hash})`,
      );
      if (context.config.auditCheckpoints.dir)
        context.out(`copy appended in ${context.config.auditCheckpoints.dir}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'DATA_LOSS') {
      context.err(
        `${error.message} (check: ${String(error.details.check)}) Run \`strongroom audit verify\`.`,
      );
      return 1;
    }
    throw error;
  } finally {
    await runtime.close();
  }
}

/**
 * `strongroom audit public-key`: the Ed25519 key checkpoints verify with (base64url of its
 * 32 bytes), for an auditor's machine: `strongroom audit verify --public-key KEY`. It is
 * derived from the integrity root the keyring unseals, never read from the database.
 */
export async function publicKeyCommand(context: CommandContext): Promise<number> {
  const runtime = await openRuntime(context.config, context.logger);
  try {
    context.out((await runtime.integrity.keys()).publicKeyText);
    return 0;
  } finally {
    await runtime.close();
  }
}
