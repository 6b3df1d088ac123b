import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { outcomeOf, startApi, type ApiHarness } from './api-harness.js';
import {
  ADD_SECRET_MEMBER,
  CREATE_SECRET,
  IMPORT_SECRETS,
  REGISTER_SYSTEM_SECRET,
  REMOVE_SECRET_MEMBER,
  REVOKE_SYSTEM_SECRET,
  UPDATE_SECRET,
  UPDATE_SECRET_VALUE,
} from '../support/graphql-documents.js';

type Role =
  | 'admin'
  | 'member'
  | 'external'
  | 'owner'
  | 'otherUser'
  | 'service'
  | 'auditor'
  | 'none'
  | 'expired'
  | 'forged'
  | 'otherWorkspace';
type Scope = 'WORKSPACE' | 'PERSONAL';
type Op =
  | 'list'
  | 'read'
  | 'create'
  | 'rotate'
  | 'edit'
  | 'delete'
  | 'import'
  | 'addMember'
  | 'removeMember'
  | 'registerSystem'
  | 'revokeSystem'
  | 'auditEvents'
  | 'verifyAudit'
  | 'checkRefs';

const ROLES: Role[] = [
  'admin',
  'member',
  'external',
  'owner',
  'otherUser',
  'service',
  'auditor',
  'none',
  'expired',
  'forged',
  'otherWorkspace',
];
const OPS: Op[] = [
  'list',
  'read',
  'create',
  'rotate',
  'edit',
  'delete',
  'import',
  'addMember',
  'removeMember',
  'registerSystem',
  'revokeSystem',
  'auditEvents',
  'verifyAudit',
  'checkRefs',
];
const UNAUTH: Role[] = ['none', 'expired', 'forged'];

/**
 * SPEC §4 as data: what each caller gets for each operation on a workspace secret and
 * on a personal secret owned by "owner" (bob, a workspace member). Invisible secrets are
 * NOT_FOUND (their existence is not revealed); visible but forbidden changes are FORBIDDEN.
 */
function expected(role: Role, op: Op, scope: Scope): string {
  if (UNAUTH.includes(role)) return 'UNAUTHENTICATED';
  const hasRole = !['service', 'auditor'].includes(role);
  switch (op) {
    case 'list':
      return hasRole ? 'OK' : 'FORBIDDEN';
    case 'read': {
      if (!hasRole || role === 'otherWorkspace') return 'NULL';
      if (scope === 'PERSONAL') return role === 'owner' ? 'OK' : 'NULL';
      return 'OK';
    }
    case 'create':
    case 'import':
      if (scope === 'WORKSPACE') return role === 'admin' || role === 'otherWorkspace' ? 'OK' : 'FORBIDDEN';
      return ['admin', 'member', 'owner', 'otherUser', 'otherWorkspace'].includes(role) ? 'OK' : 'FORBIDDEN';
    case 'rotate':
    case 'edit':
    case 'delete':
    case 'addMember':
    case 'removeMember': {
      const visible = hasRole && role !== 'otherWorkspace' && (scope === 'WORKSPACE' || role === 'owner');
      if (!visible) return 'NOT_FOUND';
      if (scope === 'PERSONAL') return op === 'addMember' || op === 'removeMember' ? 'BAD_USER_INPUT' : 'OK';
      return role === 'admin' ? 'OK' : 'FORBIDDEN';
    }
    case 'registerSystem':
    case 'revokeSystem':
      return role === 'service' ? 'OK' : 'FORBIDDEN';
    case 'auditEvents':
    case 'verifyAudit':
      return role === 'auditor' ? 'OK' : 'FORBIDDEN';
    case 'checkRefs':
      // Asking about the owner's runs: the owner and admins may, nobody else. The admin
      // of another workspace may ask about a user of that name there, and sees only it.
      if (!hasRole) return 'FORBIDDEN';
      return ['owner', 'admin', 'otherWorkspace'].includes(role) ? 'OK' : 'FORBIDDEN';
  }
}

describe.each(DATABASE_KINDS)('permission matrix (SPEC §4) on %s', (kind) => {
  let api: ApiHarness;
  const tokens = {} as Record<Role, string | undefined>;
  let counter = 0;

  beforeAll(async () => {
    api = await startApi(kind);
    tokens.admin = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' });
    tokens.member = await api.token({ sub: 'dave', wid: 'ws1', role: 'member' });
    tokens.external = await api.token({ sub: 'eve', wid: 'ws1', role: 'external' });
    tokens.owner = await api.token({ sub: 'bob', wid: 'ws1', role: 'member' });
    tokens.otherUser = await api.token({ sub: 'carol', wid: 'ws1', role: 'member' });
    tokens.service = await api.token({ sub: 'svc-github', wid: 'ws1', scope: 'secrets:system' });
    tokens.auditor = await api.token({ sub: 'audrey', wid: 'ws1', scope: 'audit:read' });
    tokens.none = undefined;
    tokens.expired = await api.token({ sub: 'alice', wid: 'ws1', role: 'admin' }, '-10m');
    const stranger = await generateKeyPair('ES256');
    tokens.forged = await new SignJWT({ wid: 'ws1', role: 'admin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('alice')
      .setIssuer('strongroom-dev')
      .setAudience('strongroom')
      .setExpirationTime('1h')
      .sign(stranger.privateKey);
    tokens.otherWorkspace = await api.token({ sub: 'zed', wid: 'ws2', role: 'admin' });
  });
  afterAll(() => api?.close());

  /** A fresh secret per case, so cases cannot affect each other. */
  async function freshSecret(scope: Scope): Promise<{ id: string; name: string }> {
    const name = `M_${scope[0]}_${++counter}`;
    const creator = scope === 'WORKSPACE' ? tokens.admin : tokens.owner;
    const result = await api.gql(creator, CREATE_SECRET, {
      i: { name, value: `value-${counter}`, scope },
    });
    return { id: result.body.data!.createSecret.id, name };
  }

  async function perform(role: Role, op: Op, scope: Scope): Promise<string> {
    const t = tokens[role];
    const s = await freshSecret(scope);
    const run = async (query: string, variables: Record<string, unknown> = {}) =>
      api.gql(t, query, variables);
    switch (op) {
      case 'list': {
        const r = await run(`{ secrets(first: 100) { edges { node { id } } } }`);
        const code = outcomeOf(r);
        if (code === 'OK') {
          const ids = r.body.data!.secrets.edges.map((e: { node: { id: string } }) => e.node.id);
          // Visibility inside a successful list follows the read rule.
          const readable = expected(role, 'read', scope) === 'OK';
          expect(ids.includes(s.id)).toBe(readable);
        }
        return code;
      }
      case 'read': {
        const r = await run(`query($id: ID!) { secret(id: $id) { id } }`, { id: s.id });
        const code = outcomeOf(r);
        return code === 'OK' && r.body.data!.secret === null ? 'NULL' : code;
      }
      case 'create':
        return outcomeOf(
          await run(CREATE_SECRET, {
            i: { name: `${s.name}_NEW`, value: 'v', scope },
          }),
        );
      case 'import':
        return outcomeOf(
          await run(IMPORT_SECRETS, {
            i: { dotenv: `${s.name}_IMP=v\n`, scope },
          }),
        );
      case 'rotate':
        return outcomeOf(
          await run(UPDATE_SECRET_VALUE, {
            i: { id: s.id, value: 'new' },
          }),
        );
      case 'edit':
        return outcomeOf(
          await run(UPDATE_SECRET, {
            i: { id: s.id, displayName: 'x' },
          }),
        );
      case 'delete':
        return outcomeOf(await run(`mutation($id: ID!) { deleteSecret(id: $id) }`, { id: s.id }));
      case 'addMember':
        return outcomeOf(
          await run(ADD_SECRET_MEMBER, {
            i: { secretId: s.id, userId: 'frank', role: 'MEMBER' },
          }),
        );
      case 'removeMember': {
        if (scope === 'WORKSPACE') {
          await api.gql(tokens.admin, ADD_SECRET_MEMBER, {
            i: { secretId: s.id, userId: 'frank', role: 'MEMBER' },
          });
        }
        return outcomeOf(
          await run(REMOVE_SECRET_MEMBER, {
            i: { secretId: s.id, userId: 'frank' },
          }),
        );
      }
      case 'registerSystem':
        return outcomeOf(
          await run(REGISTER_SYSTEM_SECRET, {
            i: { integration: 'gh', name: `${s.name}_SYS`, value: 'tok' },
          }),
        );
      case 'revokeSystem': {
        await api.gql(tokens.service, REGISTER_SYSTEM_SECRET, {
          i: { integration: 'gh', name: `${s.name}_REV`, value: 'tok' },
        });
        return outcomeOf(
          await run(REVOKE_SYSTEM_SECRET, {
            i: { integration: 'gh', name: `${s.name}_REV` },
          }),
        );
      }
      case 'auditEvents':
        return outcomeOf(await run(`{ auditEvents(first: 5) { edges { node { id workspaceId } } } }`));
      case 'verifyAudit':
        return outcomeOf(await run(`{ verifyAuditLog { ok checked } }`));
      case 'checkRefs':
        return outcomeOf(
          await run(
            `query($n: [String!]!, $r: RunAsInput!) { checkSecretReferences(names: $n, runAs: $r) { missing } }`,
            {
              n: [s.name],
              r: { trigger: 'MANUAL', userId: 'bob' },
            },
          ),
        );
    }
  }

  const cases = ROLES.flatMap((role) =>
    OPS.flatMap((op) => (['WORKSPACE', 'PERSONAL'] as Scope[]).map((scope) => [role, op, scope] as const)),
  );

  it.each(cases)('%s × %s × %s', async (role, op, scope) => {
    expect(await perform(role, op, scope)).toBe(expected(role, op, scope));
  });

  it('an auditor of workspace A never sees workspace B', async () => {
    const auditorB = await api.token({ sub: 'auditor-b', wid: 'ws2', scope: 'audit:read' });
    const r = await api.gql(auditorB, `{ auditEvents(first: 100) { edges { node { workspaceId } } } }`);
    const workspaces = new Set(
      r.body.data!.auditEvents.edges.map((e: { node: { workspaceId: string | null } }) => e.node.workspaceId),
    );
    expect([...workspaces].every((w) => w === 'ws2' || w === null)).toBe(true);
  });

  it('denials are audited with outcome DENIED and no value', async () => {
    const rows = (await api.dataSource.query(
      "SELECT action, outcome, reason FROM audit_events WHERE outcome = 'DENIED'",
    )) as Array<{ action: string; reason: string }>;
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['auth.denied', 'secret.create', 'secret.update_value', 'secret.register_system'])
      expect(actions).toContain(action);
    expect(rows.some((r) => r.reason === 'TOKEN_EXPIRED')).toBe(true);
  });
});
