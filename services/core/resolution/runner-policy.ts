import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Which runners may resolve for which workspaces. */
export interface RunnerPolicy {
  allows(runnerId: string, workspaceId: string): boolean;
  /** Whether this policy is the development fallback that allows every authenticated runner. */
  readonly permissive: boolean;
}

/**
 * The policy file (JSON): runner identity → workspace ids, `*` meaning every workspace.
 *   { "runners": { "spiffe://strongroom/runner/cloud": ["*"], "spiffe://strongroom/runner/acme": ["ws-acme"] } }
 */
const policyFileSchema = z
  .object({
    runners: z.record(z.string().min(1), z.array(z.string().min(1))),
  })
  .strict();

/** A policy from its parsed form; unknown runners may resolve for nothing. */
export function createRunnerPolicy(runners: Record<string, string[]>): RunnerPolicy {
  const table = new Map(Object.entries(runners).map(([id, workspaces]) => [id, new Set(workspaces)]));
  return {
    permissive: false,
    allows(runnerId, workspaceId) {
      const allowed = table.get(runnerId);
      return allowed !== undefined && (allowed.has('*') || allowed.has(workspaceId));
    },
  };
}

/** Development without a policy file: every runner whose certificate chains to the runner CA is allowed. */
export function createPermissiveRunnerPolicy(): RunnerPolicy {
  return { permissive: true, allows: () => true };
}

/** Parses policy file text; throws with the problem and where it is. */
export function parseRunnerPolicy(text: string): RunnerPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`runner policy is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = policyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`runner policy ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`);
  }
  return createRunnerPolicy(parsed.data.runners);
}

/**
 * The policy the config names, or the permissive development policy when none is
 * named (production always names one: config refuses to start otherwise).
 */
export function loadRunnerPolicy(config: {
  mode: 'development' | 'production';
  runnerPolicyPath?: string;
}): RunnerPolicy {
  if (!config.runnerPolicyPath) {
    if (config.mode === 'production') throw new Error('production needs STRONGROOM_RUNNER_POLICY');
    return createPermissiveRunnerPolicy();
  }
  try {
    return parseRunnerPolicy(readFileSync(config.runnerPolicyPath, 'utf8'));
  } catch (error) {
    throw new Error(`STRONGROOM_RUNNER_POLICY ${config.runnerPolicyPath}: ${(error as Error).message}`);
  }
}
