import { startChild, type BenchChild } from '../support/child-process.js';

/** Starts a floor server script; resolves with what it printed after `ready` (its port or URL). */
export async function startFloor(
  script: string,
  env: Record<string, string>,
): Promise<{ child: BenchChild; address: string }> {
  const child = startChild(script, [], { env, readyLine: /^ready (\S+)/m });
  const match = await child.ready;
  return { child, address: match[1]! };
}
