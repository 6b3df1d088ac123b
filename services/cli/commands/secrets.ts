import { openRuntime } from '../../app/runtime.js';
import { findTamperedSecrets } from '../../core/integrity/secret-state-verifier.js';
import type { CommandContext } from '../command.js';

const USAGE = 'usage: strongroom secrets verify [--json]';

/**
 * `strongroom secrets verify`: lists every secret whose authenticated state (SPEC §8.1)
 * fails — changed in the database behind the services' back — which the resolver
 * refuses with DATA_LOSS until an operator has looked. Names and ids only, never a
 * value. Exits 0 when every secret verifies, 1 when some do not, 2 on bad usage.
 */
export async function secretsCommand(context: CommandContext): Promise<number> {
  const [action, ...rest] = context.args;
  const json = rest.length === 1 && rest[0] === '--json';
  if (action !== 'verify' || (rest.length > 0 && !json)) {
    context.err(
      `${action === 'verify' ? `unexpected argument "${rest.find((a) => a !== '--json')}"` : action ? `unknown secrets command "${action}"` : 'missing secrets command'}\n${USAGE}`,
    );
    return 2;
  }
  const runtime = await openRuntime(context.config, context.logger);
  try {
    const { checked, tampered } = await findTamperedSecrets({
      secretStore: runtime.secretStore,
      tags: runtime.stateTags,
    });
    if (json) {
      context.out(JSON.stringify({ ok: tampered.length === 0, checked, failed: tampered }));
    } else {
      for (const s of tampered) {
        const owner = s.scope === 'PERSONAL' ? ` owner ${s.ownerId}` : '';
        context.out(
          `FAILS ${s.workspaceId} ${s.scope}${owner} ${s.name} (id ${s.id}): ${s.reason === 'untagged' ? 'its state tag was removed' : 'its state was changed outside Strongroom'}`,
        );
      }
      context.out(`checked ${checked} secret(s): ${tampered.length} fail(s) verification`);
    }
    return tampered.length === 0 ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
