import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import type { createResolverClient } from '../resolver/support/resolver-client.js';

type Runner = Pick<ReturnType<typeof createResolverClient>, 'resolve'>;

/** The run context of a manual run in `workspaceId`. */
export const manualRun = (workspaceId: string) => ({
  workspaceId,
  workflowId: 'wf-keyring',
  runId: `run-${Date.now()}`,
  trigger: Trigger.MANUAL,
  triggeredBy: 'alice',
  workflowOwner: '',
  stepId: '',
});

/**
 * Resolves `names` and checks each value against `expected` (name → value); returns
 * what went wrong, nothing when every value came back as expected.
 */
export async function resolveAndCheck(
  runner: Runner,
  workspaceId: string,
  names: string[],
  expected: ReadonlyMap<string, string>,
): Promise<string[]> {
  const { response, error } = await runner.resolve(
    { context: manualRun(workspaceId), names },
    { deadlineMs: 10_000 },
  );
  if (error) return [`${names.join(',')}: ${error.code} ${error.details}`];
  const problems: string[] = [];
  for (const name of names) {
    const got = response!.secrets.find((s) => s.name === name)?.value;
    if (got !== expected.get(name)) problems.push(`${name}: wrong value`);
  }
  return problems;
}

/**
 * Callers resolving random names of `expected` without pause until stopped: every call
 * must return every value as expected. `expected` may grow while it runs.
 */
export function startResolveLoad(
  runner: Runner,
  workspaceId: string,
  expected: ReadonlyMap<string, string>,
  { callers = 4, namesPerCall = 3 } = {},
) {
  let stopped = false;
  let calls = 0;
  const failures: string[] = [];
  const caller = async () => {
    while (!stopped) {
      const names = [...expected.keys()];
      const picked = [
        ...new Set(
          Array.from({ length: namesPerCall }, () => names[Math.floor(Math.random() * names.length)]!),
        ),
      ];
      failures.push(...(await resolveAndCheck(runner, workspaceId, picked, expected)));
      calls += 1;
    }
  };
  const running = Array.from({ length: callers }, caller);
  return {
    get calls() {
      return calls;
    },
    async stop(): Promise<{ calls: number; failures: string[] }> {
      stopped = true;
      await Promise.all(running);
      return { calls, failures };
    },
  };
}
