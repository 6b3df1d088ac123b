/**
 * A workspace's secret generation as a reader saw it: the counter that triggers move
 * forward on every write that can change what a resolve returns (see the
 * secret-generations migration). While it has not moved, what was read with it is
 * still exactly current.
 */
export interface WorkspaceGeneration {
  workspaceId: string;
  generation: number;
}

/**
 * Thrown, with nothing written, by a commit made on condition that some workspaces'
 * generations had not moved when one had. Not a failure: the caller reads again and
 * retries. Never leaves the process (the resolver turns a last one into UNAVAILABLE).
 */
export class WorkspaceChangedError extends Error {
  constructor() {
    super('a workspace changed since its secrets were read');
    this.name = 'WorkspaceChangedError';
  }
}
