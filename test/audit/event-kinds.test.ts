import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneAuditLog } from '../../services/core/audit/audit-pruner.js';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { rewrapDataKeys } from '../../services/core/crypto/rewrap-data-keys.js';
import { Trigger } from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import type { AuditEventRow } from '../../services/storage/entities/audit-event-entity.js';
import { SecretVersionEntity } from '../../services/storage/entities/secret-version-entity.js';
import { outcomeOf } from '../api/api-harness.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { AUDIT_EVENT_FIELDS, CANARY, startEventKindsEnv, WS, type EventKindsEnv } from './event-kinds-env.js';
import {
  ADD_SECRET_MEMBER,
  CREATE_SECRET,
  DELETE_SECRET,
  IMPORT_SECRETS,
  REGISTER_SYSTEM_SECRET,
  REMOVE_SECRET_MEMBER,
  REVOKE_SYSTEM_SECRET,
  UPDATE_SECRET,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';

/** The stored fields a case states exactly; chain fields, id and time are checked apart. */
type Fields = Omit<AuditEventRow, 'id' | 'chainId' | 'chainSeq' | 'prevHash' | 'hash' | 'occurredAt'>;

/** "Not applicable" as stored: every field a case does not name must be this. */
const NOTHING: Fields = {
  action: '',
  outcome: '',
  actorType: '',
  actorId: '',
  workspaceId: '',
  secretId: '',
  secretName: '',
  scope: '',
  version: 0,
  workflowId: '',
  runId: '',
  trigger: '',
  runner: '',
  requestId: '',
  sourceAddress: '',
  reason: '',
  principal: '',
  triggeredBy: '',
  workflowOwner: '',
  stepId: '',
  grantId: '',
  occurrences: 1,
};

const ALPHA = 'spiffe://strongroom/runner/alpha';
const ALICE = { actorType: 'user', actorId: 'alice', workspaceId: WS };
const BOB = { actorType: 'user', actorId: 'bob', workspaceId: WS };
const SERVICE = { actorType: 'service', actorId: 'svc-github', workspaceId: WS };
const ANONYMOUS = { actorType: 'anonymous' };

/** What a case's action answered, and what its expected records depend on. */
interface Acted {
  answer: string;
  expected: Array<Partial<Fields>>;
}

/** One kind of event: the real action (tagged with `rid`) and the exact records it must leave. */
interface EventCase {
  name: string;
  via: 'graphql' | 'grpc';
  answer: string;
  act(env: EventKindsEnv, rid: string): Promise<Acted>;
}

const LIST = `query($f: SecretFilter) { secrets(filter: $f) { edges { node { id name } } } }`;

/** Runs a preparatory operation under its own request id, so it never mixes with the case's records. */
async function setup(
  env: EventKindsEnv,
  bearer: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, { id: string }>> {
  const result = await env.gql(bearer, `setup-${randomUUID()}`, query, variables);
  expect(outcomeOf(result), result.text).toBe('OK');
  return result.body.data!;
}

/** A workspace secret made by alice (admin), optionally rotated; its value carries the canary. */
async function workspaceSecret(env: EventKindsEnv, name: string, rotations = 0): Promise<string> {
  const { createSecret } = await setup(env, env.tokens.admin, CREATE_SECRET, {
    i: { name, value: `${CANARY}-${name}-v1` },
  });
  for (let v = 2; v <= rotations + 1; v += 1) {
    await setup(env, env.tokens.admin, UPDATE_SECRET_VALUE, {
      i: { id: createSecret!.id, value: `${CANARY}-${name}-v${v}` },
    });
  }
  return createSecret!.id;
}

/** A system-managed secret registered by the integration service. */
async function systemSecret(env: EventKindsEnv, name: string): Promise<string> {
  const { registerSystemSecret } = await setup(env, env.tokens.service, REGISTER_SYSTEM_SECRET, {
    i: { integration: 'github', name, value: `${CANARY}-${name}` },
  });
  return registerSystemSecret!.id;
}

const run = (runId: string, trigger = Trigger.MANUAL, triggeredBy = 'alice') => ({
  workspaceId: WS,
  workflowId: 'wf-kinds',
  runId,
  trigger,
  triggeredBy,
  workflowOwner: 'owen',
  stepId: 'step-1',
});
/** The fields of a resolve record of `run(runId, trigger)`: the principal is the trigger's (SPEC §6). */
const runFields = (runId: string, trigger = 'MANUAL', triggeredBy = 'alice') => ({
  actorType: 'runner',
  actorId: ALPHA,
  runner: ALPHA,
  workspaceId: WS,
  workflowId: 'wf-kinds',
  runId,
  trigger,
  triggeredBy,
  workflowOwner: 'owen',
  stepId: 'step-1',
  principal: trigger === 'MANUAL' ? triggeredBy : 'owen',
});
const grpcAnswer = (error: { code: number } | undefined): string =>
  error ? (status[error.code] ?? `CODE_${error.code}`) : 'OK';

const CASES: EventCase[] = [
  // ── secret mutations through GraphQL ──
  {
    name: 'secret.create SUCCESS',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const r = await env.gql(env.tokens.admin, rid, CREATE_SECRET, {
        i: { name: 'K_CREATE', value: `${CANARY}-c` },
      });
      const id = r.body.data?.createSecret?.id;
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.create',
            outcome: 'SUCCESS',
            ...ALICE,
            secretId: id,
            secretName: 'K_CREATE',
            scope: 'WORKSPACE',
            version: 1,
          },
        ],
      };
    },
  },
  {
    name: 'secret.create SUCCESS (personal)',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const r = await env.gql(env.tokens.member, rid, CREATE_SECRET, {
        i: { name: 'K_CREATE_P', value: `${CANARY}-p`, scope: 'PERSONAL' },
      });
      const id = r.body.data?.createSecret?.id;
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.create',
            outcome: 'SUCCESS',
            ...BOB,
            secretId: id,
            secretName: 'K_CREATE_P',
            scope: 'PERSONAL',
            version: 1,
          },
        ],
      };
    },
  },
  {
    name: 'secret.create DENIED (a member may not create workspace secrets)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const r = await env.gql(env.tokens.member, rid, CREATE_SECRET, {
        i: { name: 'K_CREATE_NO', value: `${CANARY}-n` },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.create',
            outcome: 'DENIED',
            ...BOB,
            secretName: 'K_CREATE_NO',
            scope: 'WORKSPACE',
            reason: 'FORBIDDEN',
          },
        ],
      };
    },
  },
  {
    name: 'secret.update_value SUCCESS (the new version)',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_ROTATE');
      const r = await env.gql(env.tokens.admin, rid, UPDATE_SECRET_VALUE, {
        i: { id, value: `${CANARY}-r2` },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.update_value',
            outcome: 'SUCCESS',
            ...ALICE,
            secretId: id,
            secretName: 'K_ROTATE',
            scope: 'WORKSPACE',
            version: 2,
          },
        ],
      };
    },
  },
  {
    name: 'secret.update_value DENIED (FORBIDDEN: a member may not rotate a workspace secret)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_ROTATE_NO');
      const r = await env.gql(env.tokens.member, rid, UPDATE_SECRET_VALUE, {
        i: { id, value: `${CANARY}-x` },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.update_value',
            outcome: 'DENIED',
            ...BOB,
            secretId: id,
            secretName: 'K_ROTATE_NO',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'FORBIDDEN',
          },
        ],
      };
    },
  },
  {
    name: 'secret.update_value NOT_FOUND (no such secret)',
    via: 'graphql',
    answer: 'NOT_FOUND',
    async act(env, rid) {
      const r = await env.gql(env.tokens.admin, rid, UPDATE_SECRET_VALUE, {
        i: { id: '00000000-0000-4000-8000-000000000000', value: `${CANARY}-x` },
      });
      return {
        answer: outcomeOf(r),
        expected: [{ action: 'secret.update_value', outcome: 'NOT_FOUND', ...ALICE, reason: 'NOT_FOUND' }],
      };
    },
  },
  {
    name: 'secret.update_value NOT_FOUND (a secret of another workspace is not described)',
    via: 'graphql',
    answer: 'NOT_FOUND',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_ROTATE_OUTSIDE');
      const r = await env.gql(env.tokens.outsider, rid, UPDATE_SECRET_VALUE, {
        i: { id, value: `${CANARY}-x` },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.update_value',
            outcome: 'NOT_FOUND',
            actorType: 'user',
            actorId: 'olga',
            workspaceId: 'ws-outside',
            reason: 'NOT_FOUND',
          },
        ],
      };
    },
  },
  {
    name: 'secret.update SUCCESS (metadata; the current version)',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_EDIT', 1);
      const r = await env.gql(env.tokens.admin, rid, UPDATE_SECRET, {
        i: { id, displayName: 'Edited', description: 'd' },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.update',
            outcome: 'SUCCESS',
            ...ALICE,
            secretId: id,
            secretName: 'K_EDIT',
            scope: 'WORKSPACE',
            version: 2,
          },
        ],
      };
    },
  },
  {
    name: 'secret.update DENIED (FORBIDDEN: system-managed secrets change only through their integration)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const id = await systemSecret(env, 'K_EDIT_SYS');
      const r = await env.gql(env.tokens.admin, rid, UPDATE_SECRET, { i: { id, description: 'no' } });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.update',
            outcome: 'DENIED',
            ...ALICE,
            secretId: id,
            secretName: 'K_EDIT_SYS',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'FORBIDDEN',
          },
        ],
      };
    },
  },
  {
    name: 'secret.delete SUCCESS',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_DELETE', 2);
      const r = await env.gql(env.tokens.admin, rid, DELETE_SECRET, { id });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.delete',
            outcome: 'SUCCESS',
            ...ALICE,
            secretId: id,
            secretName: 'K_DELETE',
            scope: 'WORKSPACE',
            version: 3,
          },
        ],
      };
    },
  },
  {
    name: 'secret.delete DENIED (FORBIDDEN: a member may not delete a workspace secret)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_DELETE_NO');
      const r = await env.gql(env.tokens.member, rid, DELETE_SECRET, { id });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.delete',
            outcome: 'DENIED',
            ...BOB,
            secretId: id,
            secretName: 'K_DELETE_NO',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'FORBIDDEN',
          },
        ],
      };
    },
  },
  {
    name: 'secret.member_add SUCCESS (role and user in the reason)',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_MEMBER_ADD');
      const r = await env.gql(env.tokens.admin, rid, ADD_SECRET_MEMBER, {
        i: { secretId: id, userId: 'bob', role: 'MEMBER' },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.member_add',
            outcome: 'SUCCESS',
            ...ALICE,
            secretId: id,
            secretName: 'K_MEMBER_ADD',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'MEMBER:bob',
          },
        ],
      };
    },
  },
  {
    name: 'secret.member_remove SUCCESS (the user in the reason)',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_MEMBER_RM');
      await setup(env, env.tokens.admin, ADD_SECRET_MEMBER, {
        i: { secretId: id, userId: 'carol', role: 'ADMIN' },
      });
      const r = await env.gql(env.tokens.admin, rid, REMOVE_SECRET_MEMBER, {
        i: { secretId: id, userId: 'carol' },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.member_remove',
            outcome: 'SUCCESS',
            ...ALICE,
            secretId: id,
            secretName: 'K_MEMBER_RM',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'carol',
          },
        ],
      };
    },
  },
  {
    name: 'secret.member_add DENIED (FORBIDDEN: a member may not manage members)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_MEMBER_NO');
      const r = await env.gql(env.tokens.member, rid, ADD_SECRET_MEMBER, {
        i: { secretId: id, userId: 'bob', role: 'ADMIN' },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.member_add',
            outcome: 'DENIED',
            ...BOB,
            secretId: id,
            secretName: 'K_MEMBER_NO',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'FORBIDDEN',
          },
        ],
      };
    },
  },
  {
    name: 'secret.import SUCCESS (one record per changed secret: created, then overwritten)',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const oldId = await workspaceSecret(env, 'K_IMP_OLD');
      const r = await env.gql(env.tokens.admin, rid, IMPORT_SECRETS, {
        i: { dotenv: `K_IMP_NEW=${CANARY}-new\nK_IMP_OLD="${CANARY}-old"\n`, onConflict: 'OVERWRITE' },
      });
      const listed = await setup(env, env.tokens.admin, LIST, { f: { nameContains: 'K_IMP_NEW' } });
      const newId = (listed.secrets as unknown as { edges: Array<{ node: { id: string } }> }).edges[0]?.node
        .id;
      const imported = { action: 'secret.import', outcome: 'SUCCESS', ...ALICE, scope: 'WORKSPACE' };
      return {
        answer: outcomeOf(r),
        expected: [
          { ...imported, secretId: newId, secretName: 'K_IMP_NEW', version: 1, reason: 'created' },
          { ...imported, secretId: oldId, secretName: 'K_IMP_OLD', version: 2, reason: 'updated' },
        ],
      };
    },
  },
  {
    name: 'secret.import DENIED (OVERWRITE may not replace a system-managed secret; nothing imported)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const id = await systemSecret(env, 'K_IMP_SYS');
      const r = await env.gql(env.tokens.admin, rid, IMPORT_SECRETS, {
        i: { dotenv: `K_IMP_FRESH=${CANARY}-f\nK_IMP_SYS=${CANARY}-sys\n`, onConflict: 'OVERWRITE' },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.import',
            outcome: 'DENIED',
            ...ALICE,
            secretId: id,
            secretName: 'K_IMP_SYS',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'FORBIDDEN',
          },
        ],
      };
    },
  },
  {
    name: 'secret.import DENIED (a member may not import workspace secrets)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const r = await env.gql(env.tokens.member, rid, IMPORT_SECRETS, {
        i: { dotenv: `K_IMP_NO=${CANARY}` },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          { action: 'secret.import', outcome: 'DENIED', ...BOB, scope: 'WORKSPACE', reason: 'FORBIDDEN' },
        ],
      };
    },
  },
  {
    name: 'secret.register_system SUCCESS (a service actor)',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const r = await env.gql(env.tokens.service, rid, REGISTER_SYSTEM_SECRET, {
        i: { integration: 'github', name: 'K_SYS_NEW', value: `${CANARY}-s` },
      });
      const id = r.body.data?.registerSystemSecret?.id;
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.register_system',
            outcome: 'SUCCESS',
            ...SERVICE,
            secretId: id,
            secretName: 'K_SYS_NEW',
            scope: 'WORKSPACE',
            version: 1,
          },
        ],
      };
    },
  },
  {
    name: 'secret.register_system SUCCESS (a refresh: new version, reason refresh)',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const id = await systemSecret(env, 'K_SYS_REFRESH');
      const r = await env.gql(env.tokens.service, rid, REGISTER_SYSTEM_SECRET, {
        i: { integration: 'github', name: 'K_SYS_REFRESH', value: `${CANARY}-s2` },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.register_system',
            outcome: 'SUCCESS',
            ...SERVICE,
            secretId: id,
            secretName: 'K_SYS_REFRESH',
            scope: 'WORKSPACE',
            version: 2,
            reason: 'refresh',
          },
        ],
      };
    },
  },
  {
    name: 'secret.register_system DENIED (a user token lacks secrets:system)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const r = await env.gql(env.tokens.admin, rid, REGISTER_SYSTEM_SECRET, {
        i: { integration: 'github', name: 'K_SYS_NO', value: `${CANARY}-s` },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.register_system',
            outcome: 'DENIED',
            ...ALICE,
            secretName: 'K_SYS_NO',
            scope: 'WORKSPACE',
            reason: 'FORBIDDEN',
          },
        ],
      };
    },
  },
  {
    name: 'secret.revoke_system SUCCESS',
    via: 'graphql',
    answer: 'OK',
    async act(env, rid) {
      const id = await systemSecret(env, 'K_SYS_REVOKE');
      const r = await env.gql(env.tokens.service, rid, REVOKE_SYSTEM_SECRET, {
        i: { integration: 'github', name: 'K_SYS_REVOKE' },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.revoke_system',
            outcome: 'SUCCESS',
            ...SERVICE,
            secretId: id,
            secretName: 'K_SYS_REVOKE',
            scope: 'WORKSPACE',
            version: 1,
          },
        ],
      };
    },
  },
  {
    name: 'secret.revoke_system DENIED (a user token lacks secrets:system)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const r = await env.gql(env.tokens.admin, rid, REVOKE_SYSTEM_SECRET, {
        i: { integration: 'github', name: 'K_SYS_KEEP' },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.revoke_system',
            outcome: 'DENIED',
            ...ALICE,
            secretName: 'K_SYS_KEEP',
            scope: 'WORKSPACE',
            reason: 'FORBIDDEN',
          },
        ],
      };
    },
  },
  {
    name: 'secret.revoke_system NOT_FOUND (no such system secret)',
    via: 'graphql',
    answer: 'NOT_FOUND',
    async act(env, rid) {
      const r = await env.gql(env.tokens.service, rid, REVOKE_SYSTEM_SECRET, {
        i: { integration: 'github', name: 'K_SYS_NONE' },
      });
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'secret.revoke_system',
            outcome: 'NOT_FOUND',
            ...SERVICE,
            secretName: 'K_SYS_NONE',
            scope: 'WORKSPACE',
            reason: 'NOT_FOUND',
          },
        ],
      };
    },
  },
  // ── failed authentication and refused reads through GraphQL ──
  ...(
    [
      ['no token', undefined, 'NO_TOKEN'],
      ['a malformed token', () => 'not-a-jwt', 'JWS_INVALID'],
      ['an expired token', (env: EventKindsEnv) => env.tokens.expired, 'TOKEN_EXPIRED'],
      ['a token signed by a foreign key', (env: EventKindsEnv) => env.tokens.forged, 'BAD_SIGNATURE'],
      ['a token for another audience', (env: EventKindsEnv) => env.tokens.wrongAudience, 'CLAIM_AUD'],
    ] as const
  ).map(([label, bearer, reason]): EventCase => ({
    name: `auth.denied DENIED (GraphQL with ${label}: ${reason})`,
    via: 'graphql',
    answer: 'UNAUTHENTICATED',
    async act(env, rid) {
      const r = await env.gql(bearer?.(env), rid, CREATE_SECRET, {
        i: { name: 'K_ANON', value: `${CANARY}-a` },
      });
      return {
        answer: outcomeOf(r),
        expected: [{ action: 'auth.denied', outcome: 'DENIED', ...ANONYMOUS, reason }],
      };
    },
  })),
  {
    name: 'auth.denied DENIED (GraphQL with a non-bearer Authorization header: MALFORMED_HEADER)',
    via: 'graphql',
    answer: 'UNAUTHENTICATED',
    async act(env, rid) {
      const r = await env.api.post(
        { query: '{ secrets { edges { node { id } } } }' },
        { authorization: 'Basic YWxpY2U6cGFzc3dvcmQ=', 'x-request-id': rid },
      );
      return {
        answer: outcomeOf(r),
        expected: [{ action: 'auth.denied', outcome: 'DENIED', ...ANONYMOUS, reason: 'MALFORMED_HEADER' }],
      };
    },
  },
  {
    name: 'auth.denied DENIED (verifyAuditLog without audit:read)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const r = await env.gql(env.tokens.admin, rid, `{ verifyAuditLog { ok } }`);
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'auth.denied',
            outcome: 'DENIED',
            ...ALICE,
            reason: 'FORBIDDEN: verifyAuditLog needs audit:read',
          },
        ],
      };
    },
  },
  {
    name: 'auth.denied DENIED (auditEvents without audit:read)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const r = await env.gql(env.tokens.member, rid, `{ auditEvents { edges { node { id } } } }`);
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'auth.denied',
            outcome: 'DENIED',
            ...BOB,
            reason: 'FORBIDDEN: auditEvents needs audit:read',
          },
        ],
      };
    },
  },
  {
    name: 'auth.denied DENIED (a service token without a role lists secrets)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const r = await env.gql(env.tokens.service, rid, LIST);
      return {
        answer: outcomeOf(r),
        expected: [{ action: 'auth.denied', outcome: 'DENIED', ...SERVICE, reason: 'FORBIDDEN' }],
      };
    },
  },
  {
    name: 'auth.denied DENIED (a member checks references for another user)',
    via: 'graphql',
    answer: 'FORBIDDEN',
    async act(env, rid) {
      const r = await env.gql(
        env.tokens.member,
        rid,
        `{ checkSecretReferences(names: ["K_REF"], runAs: { trigger: MANUAL, userId: "carol" }) { missing } }`,
      );
      return {
        answer: outcomeOf(r),
        expected: [
          {
            action: 'auth.denied',
            outcome: 'DENIED',
            ...BOB,
            reason: 'FORBIDDEN: checkSecretReferences for another user',
          },
        ],
      };
    },
  },
  // ── resolves through the mTLS resolver ──
  {
    name: 'secret.resolve SUCCESS (one record per name, workspace and personal)',
    via: 'grpc',
    answer: 'OK',
    async act(env, rid) {
      const wsId = await workspaceSecret(env, 'K_RES_WS', 1);
      const { createSecret } = await setup(env, env.tokens.admin, CREATE_SECRET, {
        i: { name: 'K_RES_MINE', value: `${CANARY}-mine`, scope: 'PERSONAL' },
      });
      const { error, response } = await env.resolve('alpha', rid, run('run-ok'), ['K_RES_WS', 'K_RES_MINE']);
      expect(response?.secrets.map((s) => s.value)).toEqual([`${CANARY}-K_RES_WS-v2`, `${CANARY}-mine`]);
      const resolved = { action: 'secret.resolve', outcome: 'SUCCESS', ...runFields('run-ok') };
      return {
        answer: grpcAnswer(error),
        expected: [
          { ...resolved, secretId: wsId, secretName: 'K_RES_WS', scope: 'WORKSPACE', version: 2 },
          {
            ...resolved,
            secretId: createSecret!.id,
            secretName: 'K_RES_MINE',
            scope: 'PERSONAL',
            version: 1,
          },
        ],
      };
    },
  },
  {
    name: 'secret.resolve NOT_FOUND (the missing name; the found one is recorded as not sent)',
    via: 'grpc',
    answer: 'NOT_FOUND',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_RES_HALF');
      const { error } = await env.resolve('alpha', rid, run('run-nf', Trigger.SCHEDULE), [
        'K_RES_HALF',
        'K_RES_NONE',
      ]);
      const fields = runFields('run-nf', 'SCHEDULE');
      return {
        answer: grpcAnswer(error),
        expected: [
          {
            action: 'secret.resolve',
            outcome: 'ERROR',
            ...fields,
            secretId: id,
            secretName: 'K_RES_HALF',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'NOT_SENT: call refused NOT_FOUND',
          },
          { action: 'secret.resolve', outcome: 'NOT_FOUND', ...fields, secretName: 'K_RES_NONE' },
        ],
      };
    },
  },
  {
    name: 'secret.resolve DENIED (a restricted secret and a run principal who is not a member)',
    via: 'grpc',
    answer: 'PERMISSION_DENIED',
    async act(env, rid) {
      const id = await workspaceSecret(env, 'K_RES_RESTRICTED');
      await setup(env, env.tokens.admin, ADD_SECRET_MEMBER, {
        i: { secretId: id, userId: 'carol', role: 'MEMBER' },
      });
      const { error } = await env.resolve('alpha', rid, run('run-restricted'), ['K_RES_RESTRICTED']);
      return {
        answer: grpcAnswer(error),
        expected: [
          {
            action: 'secret.resolve',
            outcome: 'DENIED',
            ...runFields('run-restricted'),
            secretId: id,
            secretName: 'K_RES_RESTRICTED',
            scope: 'WORKSPACE',
            version: 1,
            reason: 'RESTRICTED_NOT_MEMBER',
          },
        ],
      };
    },
  },
  {
    name: 'secret.resolve DENIED (the runner policy does not allow this runner for the workspace)',
    via: 'grpc',
    answer: 'PERMISSION_DENIED',
    async act(env, rid) {
      await workspaceSecret(env, 'K_RES_POLICY');
      const { error } = await env.resolve('beta', rid, run('run-policy', Trigger.WEBHOOK), ['K_RES_POLICY']);
      return {
        answer: grpcAnswer(error),
        expected: [
          {
            action: 'secret.resolve',
            outcome: 'DENIED',
            ...runFields('run-policy', 'WEBHOOK'),
            actorId: 'cn:beta-runner',
            runner: 'cn:beta-runner',
            secretName: 'K_RES_POLICY',
            reason: 'RUNNER_NOT_ALLOWED',
          },
        ],
      };
    },
  },
  {
    name: 'secret.resolve ERROR (a stored value fails its integrity check; the other name is not sent)',
    via: 'grpc',
    answer: 'INTERNAL',
    async act(env, rid) {
      const goodId = await workspaceSecret(env, 'K_RES_GOOD');
      const badId = await workspaceSecret(env, 'K_RES_TAMPERED');
      await env.api.dataSource.manager.update(
        SecretVersionEntity,
        { secretId: badId },
        { tag: Buffer.alloc(16) },
      );
      const { error } = await env.resolve('alpha', rid, run('run-tampered'), [
        'K_RES_GOOD',
        'K_RES_TAMPERED',
      ]);
      const failed = {
        action: 'secret.resolve',
        outcome: 'ERROR',
        ...runFields('run-tampered'),
        scope: 'WORKSPACE',
        version: 1,
      };
      return {
        answer: grpcAnswer(error),
        expected: [
          { ...failed, secretId: goodId, secretName: 'K_RES_GOOD', reason: 'NOT_SENT: call failed' },
          { ...failed, secretId: badId, secretName: 'K_RES_TAMPERED', reason: 'DECRYPT_FAILED' },
        ],
      };
    },
  },
  {
    name: 'secret.resolve ERROR (an invalid run context names its field)',
    via: 'grpc',
    answer: 'INVALID_ARGUMENT',
    async act(env, rid) {
      const { error } = await env.resolve('alpha', rid, run('run-bad', Trigger.MANUAL, ''), ['K_RES_WS']);
      return {
        answer: grpcAnswer(error),
        expected: [
          {
            action: 'secret.resolve',
            outcome: 'ERROR',
            // Refused before a principal was chosen.
            ...runFields('run-bad', 'MANUAL', ''),
            principal: '',
            reason: 'INVALID_ARGUMENT: triggered_by',
          },
        ],
      };
    },
  },
  {
    name: 'auth.denied DENIED (gRPC: a trusted certificate that names no runner)',
    via: 'grpc',
    answer: 'UNAUTHENTICATED',
    async act(env, rid) {
      const { error } = await env.resolve('nameless', rid, run('run-nameless'), ['K_RES_WS']);
      return {
        answer: grpcAnswer(error),
        expected: [
          {
            ...runFields('run-nameless'),
            principal: '',
            action: 'auth.denied',
            outcome: 'DENIED',
            actorId: '',
            runner: '',
            reason: 'NO_RUNNER_IDENTITY',
          },
        ],
      };
    },
  },
];

const OPERATOR = 'os:event-kinds-operator';

/**
 * Operator commands (`strongroom audit prune`, `strongroom keys rewrap`), run through the
 * domain functions those commands call, on the same database and audit chain.
 */
const OPERATOR_CASES: Array<{
  name: string;
  action: string;
  run(env: EventKindsEnv): Promise<unknown>;
  reason(env: EventKindsEnv): string;
}> = [
  {
    name: 'audit.prune SUCCESS (a retention run records itself first, as the operator)',
    action: 'audit.prune',
    run: ({ api: { runtime } }) =>
      pruneAuditLog({
        auditStore: runtime.auditStore,
        auditLog: runtime.auditLog,
        before: new Date('2000-01-01T00:00:00.000Z'),
        actorId: OPERATOR,
      }),
    reason: () => 'retention: events before 2000-01-01T00:00:00.000Z',
  },
  {
    name: 'keys.rewrap SUCCESS (a re-wrap run records itself first, naming the target key)',
    action: 'keys.rewrap',
    run: ({ api: { runtime } }) =>
      rewrapDataKeys({
        secretStore: runtime.secretStore,
        cipher: runtime.cipher,
        keyring: runtime.keyring,
        auditLog: runtime.auditLog,
        actorId: OPERATOR,
      }),
    reason: ({ api: { runtime } }) => `to active key ${runtime.keyring.activeKeyId()}`,
  },
];

/** The stored fields of a row, without the chain bookkeeping. */
const fieldsOf = (row: AuditEventRow): Fields => {
  const { id: _id, chainId: _c, chainSeq: _s, prevHash: _p, hash: _h, occurredAt: _o, ...fields } = row;
  return { ...fields, version: Number(fields.version), occurrences: Number(fields.occurrences) };
};

/** A stored record as `auditEvents` shows it: '' and 0 become null; reason and source address are not exposed. */
const asGraphQL = (row: AuditEventRow) => {
  const { reason: _r, sourceAddress: _a, ...fields } = fieldsOf(row);
  return {
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === '' || v === 0 ? null : v])),
    id: String(row.id),
    occurredAt: row.occurredAt.toISOString(),
  };
};

describe.each(DATABASE_KINDS)('every audit event kind after the real action, on %s', (kind) => {
  let env: EventKindsEnv;

  beforeAll(async () => {
    env = await startEventKindsEnv(kind);
  });
  afterAll(async () => {
    await env?.close();
  });

  for (const [i, c] of CASES.entries()) {
    it(c.name, async () => {
      const rid = `ek-${i + 1}`;
      const started = Date.now();
      const acted = await c.act(env, rid);
      const finished = Date.now();
      expect(acted.answer).toBe(c.answer);

      const rows = await env.rowsOf(rid);
      const sourceAddress = c.via === 'graphql' ? '127.0.0.1' : expect.stringMatching(/^127\.0\.0\.1:\d+$/);
      expect(rows.map(fieldsOf)).toEqual(
        acted.expected.map((fields) => ({ ...NOTHING, requestId: rid, sourceAddress, ...fields })),
      );
      for (const row of rows) {
        // Stored with millisecond precision, taken between the call and its answer.
        expect(row.occurredAt.getTime()).toBeGreaterThanOrEqual(started - 1);
        expect(row.occurredAt.getTime()).toBeLessThanOrEqual(finished + 1);
      }

      // The auditor's view: the workspace's records (not the anonymous ones) with the same fields.
      const listed = await env.gql(
        env.tokens.auditor,
        `read-${rid}`,
        `query($f: AuditFilter) { auditEvents(first: 100, filter: $f) { edges { node { ${AUDIT_EVENT_FIELDS} } } } }`,
        { f: { action: acted.expected[0]!.action } },
      );
      expect(outcomeOf(listed), listed.text).toBe('OK');
      const seen = (listed.body.data!.auditEvents.edges as Array<{ node: { requestId: string; id: string } }>)
        .map((e) => e.node)
        .filter((n) => n.requestId === rid)
        .sort((a, b) => Number(a.id) - Number(b.id));
      expect(seen).toEqual(rows.filter((r) => r.workspaceId === WS).map(asGraphQL));
    });
  }

  for (const c of OPERATOR_CASES) {
    it(c.name, async () => {
      const started = Date.now();
      await c.run(env);
      const finished = Date.now();
      const rows = (await env.allRows()).filter((r) => r.action === c.action);
      expect(rows.map(fieldsOf)).toEqual([
        {
          ...NOTHING,
          action: c.action,
          outcome: 'SUCCESS',
          actorType: 'operator',
          actorId: OPERATOR,
          reason: c.reason(env),
        },
      ]);
      expect(rows[0]!.occurredAt.getTime()).toBeGreaterThanOrEqual(started - 1);
      expect(rows[0]!.occurredAt.getTime()).toBeLessThanOrEqual(finished + 1);
    });
  }

  it('no audit record holds any part of a value, and the log still verifies', async () => {
    const rows = await env.allRows();
    expect(rows.length).toBeGreaterThan(CASES.length);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(CANARY.slice(0, 15));
    // Every action of AuditAction was produced at least once above.
    expect(new Set(rows.map((r) => r.action))).toEqual(
      new Set([
        'secret.create',
        'secret.update_value',
        'secret.update',
        'secret.delete',
        'secret.import',
        'secret.register_system',
        'secret.revoke_system',
        'secret.member_add',
        'secret.member_remove',
        'secret.resolve',
        'auth.denied',
        'audit.prune',
        'keys.rewrap',
      ]),
    );

    const verified = await env.gql(
      env.tokens.auditor,
      'verify',
      `{ verifyAuditLog { ok checked firstBrokenId } }`,
    );
    // The auditor is told their workspace's count, never the whole log's.
    expect(verified.body.data?.verifyAuditLog).toEqual({
      ok: true,
      checked: rows.filter((r) => r.workspaceId === WS).length,
      firstBrokenId: null,
    });
    expect(await verifyAuditLog(env.api.runtime.auditStore)).toMatchObject({
      ok: true,
      checked: rows.length,
    });
  });
});
