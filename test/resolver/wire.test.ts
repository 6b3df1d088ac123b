import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { status, type Client } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HealthCheckRequestSchema,
  HealthCheckResponse_ServingStatus,
  type HealthCheckResponse,
} from '../../services/protocol/gen/grpc/health/v1/health_pb.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { callUnary, createHealthClient, createRawResolverClient } from './support/resolver-client.js';
import { createResolverHarness, type ResolverHarness } from './support/resolver-harness.js';
import { seedSecret } from '../support/seed-secret.js';
import { createTestPki, type TestPki } from './support/test-pki.js';

// Written from SPEC §6 alone, not from the generated code: field numbers and wire types.
const SPEC = {
  ResolveRequest: { context: 1, names: 2 },
  RunContext: {
    workspace_id: 1,
    workflow_id: 2,
    run_id: 3,
    trigger: 4,
    triggered_by: 5,
    workflow_owner: 6,
    step_id: 7,
  },
  ResolveResponse: { secrets: 1 },
  ResolvedSecret: { name: 1, value: 2, scope: 3, version: 4 },
  TRIGGER_WEBHOOK: 3,
  SCOPE_WORKSPACE: 1,
  SCOPE_PERSONAL: 2,
} as const;

function encodeRequest(workspaceId: string, names: string[]): Uint8Array {
  const c = SPEC.RunContext;
  const context = new BinaryWriter()
    .tag(c.workspace_id, WireType.LengthDelimited)
    .string(workspaceId)
    .tag(c.workflow_id, WireType.LengthDelimited)
    .string('wf-wire')
    .tag(c.run_id, WireType.LengthDelimited)
    .string('run-wire')
    .tag(c.trigger, WireType.Varint)
    .int32(SPEC.TRIGGER_WEBHOOK)
    .tag(c.workflow_owner, WireType.LengthDelimited)
    .string('owen')
    .tag(c.step_id, WireType.LengthDelimited)
    .string('step-wire')
    .finish();
  const request = new BinaryWriter()
    .tag(SPEC.ResolveRequest.context, WireType.LengthDelimited)
    .bytes(context);
  for (const name of names) request.tag(SPEC.ResolveRequest.names, WireType.LengthDelimited).string(name);
  return request.finish();
}

interface WireSecret {
  name?: string;
  value?: string;
  scope?: number;
  version?: number;
}

function decodeResponse(bytes: Uint8Array): WireSecret[] {
  const secrets: WireSecret[] = [];
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === SPEC.ResolveResponse.secrets && wireType === WireType.LengthDelimited) {
      secrets.push(decodeSecret(reader.bytes()));
    } else {
      reader.skip(wireType);
    }
  }
  return secrets;
}

function decodeSecret(bytes: Uint8Array): WireSecret {
  const s = SPEC.ResolvedSecret;
  const secret: WireSecret = {};
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === s.name && wireType === WireType.LengthDelimited) secret.name = reader.string();
    else if (field === s.value && wireType === WireType.LengthDelimited) secret.value = reader.string();
    else if (field === s.scope && wireType === WireType.Varint) secret.scope = reader.int32();
    else if (field === s.version && wireType === WireType.Varint) secret.version = reader.uint32();
    else reader.skip(wireType);
  }
  return secret;
}

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(DATABASE_KINDS)('resolver on %s: wire contract and health', (kind) => {
  let h: ResolverHarness;
  let port: number;
  const clients: Client[] = [];

  beforeAll(async () => {
    h = await createResolverHarness(kind, pki);
    ({ port } = await h.startServer());
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await h?.close();
  });

  it('speaks SPEC §6 on the wire: a hand-encoded request, a hand-decoded response', async () => {
    const workspaceId = `ws-${randomUUID().slice(0, 8)}`;
    await seedSecret(h, { workspaceId, name: 'WIRE_WS', value: 'wire-workspace-välue' });
    await seedSecret(h, {
      workspaceId,
      name: 'WIRE_ME',
      value: 'wire-personal',
      scope: 'PERSONAL',
      ownerId: 'owen',
    });
    const raw = createRawResolverClient(port, { caPem: pki.caPem, client: pki.runnerAlpha });
    clients.push(raw);
    const { response, error } = await callUnary<Buffer>(
      raw,
      'resolve',
      encodeRequest(workspaceId, ['WIRE_WS', 'WIRE_ME']),
    );
    expect(error).toBeUndefined();
    expect(decodeResponse(new Uint8Array(response!))).toEqual([
      { name: 'WIRE_WS', value: 'wire-workspace-välue', scope: SPEC.SCOPE_WORKSPACE, version: 1 },
      { name: 'WIRE_ME', value: 'wire-personal', scope: SPEC.SCOPE_PERSONAL, version: 1 },
    ]);
  });

  it('serves grpc.health.v1.Health/Check over the same mTLS port', async () => {
    const health = createHealthClient(port, { caPem: pki.caPem, client: pki.runnerAlpha });
    clients.push(health);
    for (const service of ['', 'strongroom.resolver.v1.SecretResolver']) {
      const { response } = await callUnary<HealthCheckResponse>(
        health,
        'check',
        create(HealthCheckRequestSchema, { service }),
      );
      expect(response?.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    }
    const unknown = await callUnary(
      health,
      'check',
      create(HealthCheckRequestSchema, { service: 'nope.Service' }),
    );
    expect(unknown.error?.code).toBe(status.NOT_FOUND);
  });
});
