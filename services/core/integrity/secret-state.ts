import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { CandidateSecret } from '../../storage/resolution-store.js';

/**
 * What decides who gets a secret's value (SPEC §8.1): whose it is, what it is called,
 * which version is current, whether an integration owns it, and who its members are.
 * Display name, description and times do not decide anything and are not covered.
 */
export interface SecretState {
  id: string;
  workspaceId: string;
  scope: string;
  ownerId: string;
  name: string;
  currentVersion: number;
  systemManaged: boolean;
  integration: string;
  restricted: boolean;
  members: ReadonlyArray<{ userId: string; role: string }>;
  /**
   * The version the current version's sealed value is bound to when a restore copied it
   * (SPEC §5.1); null or absent when it is the current version itself. Covered so a
   * database writer cannot point the current version at an older ciphertext.
   */
  sealedAs?: number | null;
  /** After this the resolver refuses the secret (SPEC §5.1); null or absent without expiry. */
  expiresAt?: Date | null;
}

/**
 * The canonical, length-unambiguous form of a state: members in user order. A state
 * with none of the lifecycle fields set is v1, byte for byte as before they existed,
 * so every tag written earlier still verifies; one with any set is v2, which appends
 * them (clearing one in SQL changes the form, and so fails the tag).
 */
function canonicalState(state: SecretState): string {
  const members = state.members
    .map((m) => [m.userId, m.role] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sealedAs = state.sealedAs ?? null;
  const expiresAt = state.expiresAt ? state.expiresAt.getTime() : null;
  const lifecycle = sealedAs !== null || expiresAt !== null;
  return JSON.stringify([
    lifecycle ? 'strongroom-secret-state/v2' : 'strongroom-secret-state/v1',
    state.id,
    state.workspaceId,
    state.scope,
    state.ownerId,
    state.name,
    Number(state.currentVersion),
    Boolean(state.systemManaged),
    state.integration,
    Boolean(state.restricted),
    members,
    ...(lifecycle ? [sealedAs === null ? null : Number(sealedAs), expiresAt] : []),
  ]);
}

/** The tag of `state` under `stateKey` (HMAC-SHA256, hex). */
const tagWith = (stateKey: KeyObject, state: SecretState): string =>
  createHmac('sha256', stateKey).update(canonicalState(state)).digest('hex');

/**
 * Tags and checks secret states with the state key (HMAC-SHA256). A tag made by the
 * services, with a key the database never holds, is the only thing that can make a
 * state verify: a row changed in SQL (scope, owner, current version, system flag, a
 * member) no longer matches its tag. The key comes from the keyring when first needed.
 */
export function createSecretStateTags(stateKey: () => Promise<KeyObject>) {
  return {
    async tagOf(state: SecretState): Promise<string> {
      return tagWith(await stateKey(), state);
    },

    /**
     * A synchronous check, once the key is at hand: true when `tag` is the tag of
     * `state`; an empty or malformed tag never verifies.
     */
    async checker(): Promise<(state: SecretState, tag: string) => boolean> {
      const key = await stateKey();
      return (state, tag) =>
        tag.length === 64 &&
        timingSafeEqual(Buffer.from(tagWith(key, state), 'hex'), Buffer.from(tag, 'hex'));
    },
  };
}

export type SecretStateTags = ReturnType<typeof createSecretStateTags>;

/** A resolution candidate's state, as its tag covers it. */
export const stateOfCandidate = (candidate: CandidateSecret): SecretState => ({
  id: candidate.id,
  workspaceId: candidate.workspaceId,
  scope: candidate.scope,
  ownerId: candidate.ownerId,
  name: candidate.name,
  currentVersion: candidate.version,
  systemManaged: candidate.systemManaged,
  integration: candidate.integration,
  restricted: candidate.restricted,
  members: candidate.members,
  sealedAs: candidate.sealedAs,
  expiresAt: candidate.expiresAt,
});
