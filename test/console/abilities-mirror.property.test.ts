import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Principal, WorkspaceRole } from '../../services/core/auth/principal.js';
import { secretPermissions } from '../../services/core/secrets/secret-permissions.js';
import type { SecretRow } from '../../services/storage/entities/secret-entity.js';
import { abilitiesOf } from '../../services/console/session/abilities';
import type { TokenClaims } from '../../services/console/session/token-claims';

const users = fc.constantFrom('alice', 'bob', 'carol');
const role = fc.constantFrom<WorkspaceRole | undefined>('admin', 'member', 'external', undefined);
const caller = fc.record({
  subject: users,
  role,
  scopes: fc.subarray(['audit:read', 'secrets:system']),
});
const secret = fc.record({
  scope: fc.constantFrom('WORKSPACE' as const, 'PERSONAL' as const),
  ownerId: users,
  systemManaged: fc.boolean(),
  members: fc.uniqueArray(
    fc.record({ userId: users, role: fc.constantFrom('ADMIN' as const, 'MEMBER' as const) }),
    {
      selector: (m) => m.userId,
      maxLength: 3,
    },
  ),
});

/**
 * The console offers a control exactly when the API's rule (SPEC §4,
 * secret-permissions.ts) would allow its request: never a control that can only
 * fail, never a missing one. Generated over every role, scope, owner and membership.
 */
describe("the console's mirror of the permission rules", () => {
  it('offers manage, create, audit and reference-check controls exactly when the API allows them', () => {
    fc.assert(
      fc.property(caller, secret, users, (c, s, other) => {
        const principal: Principal = {
          subject: c.subject,
          workspaceId: 'ws1',
          role: c.role,
          scopes: new Set(c.scopes),
          requestId: 'r',
          sourceAddress: '',
        };
        const claims: TokenClaims = {
          subject: c.subject,
          workspaceId: 'ws1',
          role: c.role,
          scopes: new Set(c.scopes),
        };
        const row = {
          workspaceId: 'ws1',
          scope: s.scope,
          ownerId: s.scope === 'PERSONAL' ? s.ownerId : '',
          systemManaged: s.systemManaged,
        } as Pick<SecretRow, 'workspaceId' | 'scope' | 'ownerId' | 'systemManaged'>;
        const memberRole = s.members.find((m) => m.userId === c.subject)?.role;
        const abilities = abilitiesOf(claims);
        // The console sees only secrets the API lists to the caller.
        if (secretPermissions.canSee(principal, row)) {
          expect(
            abilities.manage({
              scope: s.scope,
              ownerId: row.ownerId || null,
              systemManaged: s.systemManaged,
              members: s.members,
            }),
          ).toBe(
            secretPermissions.canManage(principal, row, s.scope === 'WORKSPACE' ? memberRole : undefined),
          );
        }
        for (const scope of ['WORKSPACE', 'PERSONAL'] as const)
          expect(abilities.create(scope)).toBe(secretPermissions.canCreate(principal, scope));
        expect(abilities.readAudit).toBe(secretPermissions.canReadAudit(principal));
        expect(abilities.checkReferences).toBe(secretPermissions.canCheckReferencesFor(principal, c.subject));
        if (other !== c.subject)
          expect(abilities.checkReferencesForOthers).toBe(
            secretPermissions.canCheckReferencesFor(principal, other),
          );
      }),
      { numRuns: 500 },
    );
  });
});
