import type { CandidateSecret } from '../../storage/resolution-store.js';

/** What resolution decided for one requested name. */
export type NameDecision<C extends CandidateSecret = CandidateSecret> =
  | { name: string; kind: 'found'; secret: C }
  | { name: string; kind: 'denied'; secret: C }
  | { name: string; kind: 'missing' };

/**
 * SPEC §6 resolution order, per name: the workspace secret first; only when there
 * is none, the principal's personal secret. A restricted workspace secret the
 * principal is not a member of is denied — never a silent fallback to a personal
 * secret of the same name. Runners do not know workspace roles, so only members
 * pass (workspace admins who want to run with it add themselves as members).
 */
export function decideNames<C extends CandidateSecret>(
  names: string[],
  principal: string,
  candidates: C[],
): Array<NameDecision<C>> {
  return names.map((name): NameDecision<C> => {
    const workspace = candidates.find((c) => c.scope === 'WORKSPACE' && c.name === name);
    if (workspace) {
      // The candidate lookup reads the principal's membership with the secret.
      return workspace.restricted && !workspace.principalIsMember
        ? { name, kind: 'denied', secret: workspace }
        : { name, kind: 'found', secret: workspace };
    }
    const personal = candidates.find(
      (c) => c.scope === 'PERSONAL' && c.ownerId === principal && c.name === name,
    );
    return personal ? { name, kind: 'found', secret: personal } : { name, kind: 'missing' };
  });
}
