import { parseArgs } from 'node:util';
import { loadOrCreateDevJwtKeys, signDevToken } from '../../core/auth/dev-jwt-keys.js';
import type { CommandContext } from '../command.js';
import { runGrantCommand } from './token-run.js';

const ROLES = ['admin', 'member', 'external'];

const USAGE = `usage: strongroom token dev --sub USER --workspace WORKSPACE [--role admin|member|external] [--scope "S1 S2"]
       strongroom token run --workspace W --workflow F --run R --trigger MANUAL|API|WEBHOOK|SCHEDULE
                            [--triggered-by U] [--workflow-owner U] [--runner ID] [--names A,B] [--expires-in DUR]`;

/**
 * `strongroom token dev --sub U --workspace W --role R [--scope S] [--expires-in 12h]`:
 * prints only a JWT signed by the development key pair. `strongroom token run …` prints
 * only a run grant the development resolver accepts (token-run.ts). Both are refused in
 * production.
 */
export async function tokenCommand(context: CommandContext): Promise<number> {
  const { config, args, out, err } = context;
  const [kind, ...rest] = args;
  if (kind !== 'dev' && kind !== 'run') {
    err(USAGE);
    return 2;
  }
  if (config.mode === 'production') {
    err(
      `token ${kind} signs with a development key pair; production ${kind === 'dev' ? 'tokens come from your identity provider' : 'run grants come from your orchestrator'}.`,
    );
    return 2;
  }
  if (kind === 'run') return runGrantCommand({ ...context, args: rest });
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        sub: { type: 'string' },
        workspace: { type: 'string' },
        role: { type: 'string' },
        scope: { type: 'string' },
        'expires-in': { type: 'string' },
      },
    }));
  } catch (error) {
    err((error as Error).message);
    return 2;
  }
  if (!values.sub || !values.workspace) {
    err('--sub and --workspace are required');
    return 2;
  }
  if (values.role !== undefined && !ROLES.includes(values.role)) {
    err(`--role must be one of ${ROLES.join(', ')}`);
    return 2;
  }
  if (!values.role && !values.scope) {
    err('give --role, --scope, or both (a service token carries only scopes)');
    return 2;
  }
  const keys = await loadOrCreateDevJwtKeys(config.dataDir);
  out(
    await signDevToken(
      keys,
      { sub: values.sub, wid: values.workspace, role: values.role, scope: values.scope },
      { issuer: config.jwt.issuer, audience: config.jwt.audience, expiresIn: values['expires-in'] },
    ),
  );
  return 0;
}
