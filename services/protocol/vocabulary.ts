/**
 * The words every part of Strongroom and its runner SDK share (SPEC §3, §5, §6): the
 * GraphQL enums, the proto enums and the stored columns all spell these.
 */

/** Where a secret lives: shared with the workspace, or one user's own. */
export type SecretScope = 'WORKSPACE' | 'PERSONAL';

/** A member's role on a restricted workspace secret. */
export type SecretMemberRole = 'ADMIN' | 'MEMBER';

/** What started a run (SPEC §6). */
export type Trigger = 'MANUAL' | 'API' | 'WEBHOOK' | 'SCHEDULE';

/** The triggers a run may carry; anything else is refused as bad input. */
export const TRIGGERS: readonly Trigger[] = ['MANUAL', 'API', 'WEBHOOK', 'SCHEDULE'];
