import { parseArgs } from 'node:util';
import { loadOrCreateDevJwtKeys, signDevRunGrant } from '../../core/auth/dev-jwt-keys.js';
import { RUN_GRANT_AUDIENCE } from '../../core/resolution/run-grant-verifier.js';
import { isValidSecretName } from '../../protocol/secret-names.js';
import { TRIGGERS, type Trigger } from '../../protocol/vocabulary.js';
import { DEV_RUNNER_URI } from '../../resolver/tls/dev-certificates.js';
import type { CommandContext } from '../command.js';

/**
 * `strongroom token run --workspace W --workflow F --run R --trigger T [--triggered-by U]
 * [--workflow-owner U] [--runner ID] [--names A,B] [--expires-in DUR]`: prints only a run
 * grant (SPEC §6.1) signed by the development orchestrator's key pair in the data dir,
 * for the development runner certificate unless --runner names another identity.
 */
export async function runGrantCommand({ config, args, out, err }: CommandContext): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        workspace: { type: 'string' },
        workflow: { type: 'string' },
        run: { type: 'string' },
        trigger: { type: 'string' },
        'triggered-by': { type: 'string' },
        'workflow-owner': { type: 'string' },
        runner: { type: 'string' },
        names: { type: 'string' },
        'expires-in': { type: 'string' },
      },
    }));
  } catch (error) {
    err((error as Error).message);
    return 2;
  }
  const missing = (['workspace', 'workflow', 'run', 'trigger'] as const).filter((flag) => !values[flag]);
  if (missing.length > 0) {
    err(`token run needs ${missing.map((m) => `--${m}`).join(', ')}`);
    return 2;
  }
  const trigger = values.trigger!.toUpperCase();
  if (!TRIGGERS.includes(trigger as Trigger)) {
    err(`--trigger must be one of ${TRIGGERS.join(', ')}`);
    return 2;
  }
  // The principal of the run must be named, as the resolver will require it.
  if (trigger === 'MANUAL' ? !values['triggered-by'] : !values['workflow-owner']) {
    err(
      trigger === 'MANUAL'
        ? '--triggered-by is required for MANUAL runs'
        : `--workflow-owner is required for ${trigger} runs`,
    );
    return 2;
  }
  const names = values.names
    ?.split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const invalid = names?.filter((name) => !isValidSecretName(name)) ?? [];
  if (invalid.length > 0) {
    err(`not a valid secret name: ${invalid.join(', ')}`);
    return 2;
  }
  if (values['expires-in'] !== undefined && !/^\d+[smh]$/.test(values['expires-in'])) {
    err('--expires-in must be a duration such as 90s, 15m or 2h');
    return 2;
  }
  const keys = await loadOrCreateDevJwtKeys(config.dataDir, () => {}, 'run-grant');
  out(
    await signDevRunGrant(
      keys,
      {
        wid: values.workspace!,
        wfid: values.workflow!,
        run: values.run!,
        trigger,
        ...(values['triggered-by'] ? { triggered_by: values['triggered-by'] } : {}),
        ...(values['workflow-owner'] ? { workflow_owner: values['workflow-owner'] } : {}),
        runner: values.runner ?? DEV_RUNNER_URI,
        ...(names ? { names } : {}),
      },
      { issuer: config.runGrants.issuer, audience: RUN_GRANT_AUDIENCE, expiresIn: values['expires-in'] },
    ),
  );
  return 0;
}
