import { randomUUID } from 'node:crypto';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../services/protocol/domain-error.js';
import { createCertificateAuthority } from '../../services/resolver/tls/certificates.js';
import {
  createResolverClient,
  resolverErrorFromStatus,
  type ResolverClientOptions,
} from '../../services/sdk/resolver-client.js';
import type { RunContext, SecretResolverClient } from '../../services/sdk/resolver-client-types.js';
import { MissingSecretsError } from '../../services/sdk/sdk-errors.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { createResolverHarness, type ResolverHarness } from '../resolver/support/resolver-harness.js';
import { seedSecret } from '../support/seed-secret.js';
import { createTestPki, type TestPki } from '../resolver/support/test-pki.js';

const runContext = (workspaceId: string, patch: Partial<RunContext> = {}): RunContext => ({
  workspaceId,
  workflowId: 'wf-1',
  runId: `run-${randomUUID().slice(0, 8)}`,
  trigger: 'MANUAL',
  triggeredBy: 'alice',
  workflowOwner: 'owen',
  stepId: 'step-1',
  ...patch,
});

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(DATABASE_KINDS)('createResolverClient against a real resolver on %s', (kind) => {
  let h: ResolverHarness;
  let port: number;
  const workspaceId = `ws-${randomUUID().slice(0, 8)}`;
  const opened: SecretResolverClient[] = [];

  /** A client trusting the test CA as runner alpha; the test server certificate names `localhost`. */
  const client = (patch: Partial<ResolverClientOptions> = {}, onPort = port) => {
    const c = createResolverClient({
      address: `127.0.0.1:${onPort}`,
      serverName: 'localhost',
      ca: pki.caPem,
      cert: pki.runnerAlpha.certPem,
      key: pki.runnerAlpha.keyPem,
      deadlineMs: 5_000,
      ...patch,
    });
    opened.push(c);
    return c;
  };

  beforeAll(async () => {
    h = await createResolverHarness(kind, pki);
    ({ port } = await h.startServer());
    await seedSecret(h, { workspaceId, name: 'STRIPE_KEY', value: 'sk_live_client_0123456789' });
    await seedSecret(h, { workspaceId, name: 'PAYROLL', value: 'payroll-value', members: ['mia'] });
    await seedSecret(h, {
      workspaceId,
      name: 'MY_TOKEN',
      value: 'alice-token-value',
      scope: 'PERSONAL',
      ownerId: 'alice',
    });
  });
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close?.();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('resolves workspace and personal values in request order, once per name (PEM as Buffers)', async () => {
    const c = client({
      ca: Buffer.from(pki.caPem),
      cert: Buffer.from(pki.runnerAlpha.certPem),
      key: Buffer.from(pki.runnerAlpha.keyPem),
    });
    const secrets = await c.resolve(runContext(workspaceId), ['MY_TOKEN', 'STRIPE_KEY', 'MY_TOKEN']);
    expect(secrets).toEqual([
      { name: 'MY_TOKEN', value: 'alice-token-value', scope: 'PERSONAL', version: 1 },
      { name: 'STRIPE_KEY', value: 'sk_live_client_0123456789', scope: 'WORKSPACE', version: 1 },
    ]);
    expect(await c.resolve(runContext(workspaceId), [])).toEqual([]);
  });

  it('rejects with MissingSecretsError listing every missing name, and no values', async () => {
    const error = await client()
      .resolve(runContext(workspaceId), ['MISSING_A', 'STRIPE_KEY', 'missing-b'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingSecretsError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', missingNames: ['MISSING_A', 'missing-b'] });
    expect(JSON.stringify(error)).not.toContain('sk_live');
  });

  it('maps PERMISSION_DENIED and INVALID_ARGUMENT to FORBIDDEN and BAD_USER_INPUT with the server message', async () => {
    const denied = await client()
      .resolve(runContext(workspaceId), ['PAYROLL'])
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(DomainError);
    expect(denied).toMatchObject({ code: 'FORBIDDEN', details: { grpcCode: status.PERMISSION_DENIED } });
    expect((denied as DomainError).message).toContain('PAYROLL');
    expect((denied as DomainError).details.requestId).toEqual(expect.any(String));

    const invalid = await client()
      .resolve(runContext(workspaceId, { triggeredBy: '' }), ['STRIPE_KEY'])
      .catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'triggered_by' } });
  });

  it('maps a passed deadline to DEADLINE_EXCEEDED', async () => {
    const slowStore = {
      findCandidateSnapshots: async (
        ...args: Parameters<ResolverHarness['store']['findCandidateSnapshots']>
      ) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return h.store.findCandidateSnapshots(...args);
      },
    };
    const { port: slow } = await h.startServer({ store: slowStore });
    const error = await client({ deadlineMs: 150 }, slow)
      .resolve(runContext(workspaceId), ['STRIPE_KEY'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', details: { retryable: true } });
    expect((error as Error).message).toBe(`the resolver at 127.0.0.1:${slow} did not answer within 150 ms`);
  });

  it('fails UNAVAILABLE when the server certificate does not chain to the trusted CA', async () => {
    const otherCa = await createCertificateAuthority('Not the resolver CA');
    const error = await client({ ca: otherCa.certPem })
      .resolve(runContext(workspaceId), ['STRIPE_KEY'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', details: { grpcCode: status.UNAVAILABLE } });
    expect((error as Error).message).toContain(`the resolver at 127.0.0.1:${port} is unavailable`);
  });

  it('fails UNAVAILABLE when the resolver refuses the client certificate, and after close()', async () => {
    const foreign = await client({ cert: pki.foreignRunner.certPem, key: pki.foreignRunner.keyPem })
      .resolve(runContext(workspaceId), ['STRIPE_KEY'])
      .catch((e: unknown) => e);
    expect(foreign).toMatchObject({ code: 'UNAVAILABLE' });

    const c = client();
    await c.close?.();
    const closed = await c.resolve(runContext(workspaceId), ['STRIPE_KEY']).catch((e: unknown) => e);
    expect(closed).toMatchObject({ code: 'UNAVAILABLE', message: 'the resolver client is closed' });
  });
});

describe('resolverErrorFromStatus', () => {
  const call = { address: 'resolver:50051', deadlineMs: 1_000 };
  const serviceError = (code: status, details: string, trailers: Record<string, string> = {}) => {
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
    return Object.assign(new Error(details), { code, details, metadata }) as ServiceError;
  };

  it.each([
    [status.UNAUTHENTICATED, 'UNAUTHENTICATED'],
    [status.PERMISSION_DENIED, 'FORBIDDEN'],
    [status.INVALID_ARGUMENT, 'BAD_USER_INPUT'],
    [status.NOT_FOUND, 'NOT_FOUND'],
    [status.INTERNAL, 'INTERNAL'],
    [status.UNKNOWN, 'INTERNAL'],
  ] as const)('maps gRPC status %s to %s, keeping the message and request id', (code, domainCode) => {
    const error = resolverErrorFromStatus(
      serviceError(code, 'the runner certificate names no runner', { 'x-request-id': 'req-1' }),
      call,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).not.toBeInstanceOf(MissingSecretsError);
    expect(error).toMatchObject({
      code: domainCode,
      message: 'the runner certificate names no runner',
      details: { grpcCode: code, requestId: 'req-1' },
    });
    expect(error.cause).toBeDefined();
  });

  it('turns NOT_FOUND with a missing-names trailer into MissingSecretsError', () => {
    const error = resolverErrorFromStatus(
      serviceError(status.NOT_FOUND, '2 secret(s) not found: A, B.', { 'missing-names': 'A,B' }),
      call,
    );
    expect(error).toBeInstanceOf(MissingSecretsError);
    expect((error as MissingSecretsError).missingNames).toEqual(['A', 'B']);
  });
});
