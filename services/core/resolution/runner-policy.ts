import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { watchFileContents } from '../config/watched-file.js';

/** Which runners may resolve for which workspaces. */
export interface RunnerPolicy {
  allows(runnerId: string, workspaceId: string): boolean;
  /** Whether this policy is the development fallback that allows every authenticated runner. */
  readonly permissive: boolean;
}

/** A policy read from a file and read again whenever the file changes. */
export interface WatchedRunnerPolicy extends RunnerPolicy {
  /** Stops watching the file. */
  close(): void;
}

/**
 * The policy file (JSON): runner identity → workspace ids, `*` meaning every workspace.
 * Identities are typed as the resolver reads them: a URI SAN as it is, a subject CN as
 * `cn:<CN>`.
 *   { "runners": { "spiffe://strongroom/runner/cloud": ["*"], "cn:acme-runner": ["ws-acme"] } }
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
 * named (production always names one: config refuses to start otherwise). A named file
 * is read again whenever it changes, so runners are added or removed without a restart;
 * a change that does not parse is reported to `onReloadError` and the policy in force
 * stays. A file that does not parse at start stops the start.
 */
export function loadRunnerPolicy(
  config: { mode: 'development' | 'production'; runnerPolicyPath?: string },
  {
    onReloaded = () => {},
    onReloadError = () => {},
    intervalMs,
  }: {
    onReloaded?: () => void;
    onReloadError?: (error: Error) => void;
    intervalMs?: number;
  } = {},
): WatchedRunnerPolicy {
  const path = config.runnerPolicyPath;
  if (!path) {
    if (config.mode === 'production') throw new Error('production needs STRONGROOM_RUNNER_POLICY');
    return { ...createPermissiveRunnerPolicy(), close: () => {} };
  }
  const parse = (text: string): RunnerPolicy => {
    try {
      return parseRunnerPolicy(text);
    } catch (error) {
      throw new Error(`STRONGROOM_RUNNER_POLICY ${path}: ${(error as Error).message}`);
    }
  };
  let current = parse(readFileSync(path, 'utf8'));
  const watched = watchFileContents(
    path,
    (contents) => {
      current = parse(contents.toString('utf8'));
      onReloaded();
    },
    { intervalMs, onError: (error) => onReloadError(error as Error) },
  );
  return {
    permissive: false,
    allows: (runnerId, workspaceId) => current.allows(runnerId, workspaceId),
    close: () => watched.close(),
  };
}
