import type { CommitPrecondition } from './commit-precondition.js';

/**
 * True while a workspace's secret generation (the counter the secret-generations
 * migration's triggers move on every write that can change what a resolve returns) is
 * still `generation`; a workspace without a row is at 0.
 */
export function workspaceGenerationHolds(workspaceId: string, generation: number): CommitPrecondition {
  return {
    key: `workspace-generation:${generation}:${workspaceId}`,
    sql: 'COALESCE((SELECT generation FROM secret_generations WHERE workspace_id = ?), 0) = ?',
    params: [workspaceId, generation],
  };
}
