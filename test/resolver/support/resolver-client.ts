import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  ResolveRequestSchema,
  type ResolveResponse,
} from '../../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import {
  healthDefinition,
  secretResolverDefinition,
} from '../../../services/protocol/service-definitions.js';
import type { IssuedCertificate } from '../../../services/resolver/tls/certificates.js';

/** The outcome of one call: a response or an error (with its trailers), never both. */
export interface CallResult<T> {
  response?: T;
  error?: ServiceError;
}

type UnaryFn = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (error: ServiceError | null, response?: unknown) => void,
) => void;

/** Calls a unary method of a generic grpc-js client, as a promise that never rejects. */
export function callUnary<T>(
  client: Client,
  method: string,
  request: unknown,
  options: { requestId?: string; deadlineMs?: number } = {},
): Promise<CallResult<T>> {
  const metadata = new Metadata();
  if (options.requestId) metadata.set('x-request-id', options.requestId);
  const fn = (client as unknown as Record<string, UnaryFn>)[method]!.bind(client);
  return new Promise((resolve) => {
    fn(
      request,
      metadata,
      { deadline: new Date(Date.now() + (options.deadlineMs ?? 5_000)) },
      (error, response) => resolve(error ? { error } : { response: response as T }),
    );
  });
}

/** TLS options of a test client: the CA it trusts for the server, and its own certificate if any. */
export interface ClientTls {
  caPem: string;
  client?: IssuedCertificate;
}

const channelCredentials = (tls: ClientTls) =>
  credentials.createSsl(
    Buffer.from(tls.caPem),
    tls.client ? Buffer.from(tls.client.keyPem) : null,
    tls.client ? Buffer.from(tls.client.certPem) : null,
  );

// Dial the IP but verify the server certificate for "localhost" (an IP as TLS server name is deprecated).
const CHANNEL_OPTIONS = { 'grpc.ssl_target_name_override': 'localhost' };

const ResolverClient = makeGenericClientConstructor(secretResolverDefinition, 'SecretResolver');
const HealthClient = makeGenericClientConstructor(healthDefinition, 'Health');

/** A real grpc-js SecretResolver client over TLS. */
export function createResolverClient(port: number, tls: ClientTls) {
  const client = new ResolverClient(`127.0.0.1:${port}`, channelCredentials(tls), CHANNEL_OPTIONS);
  return {
    raw: client,
    resolve: (
      request: MessageInitShape<typeof ResolveRequestSchema>,
      options?: { requestId?: string; deadlineMs?: number },
    ) => callUnary<ResolveResponse>(client, 'resolve', create(ResolveRequestSchema, request), options),
    close: () => client.close(),
  };
}

/** A grpc.health.v1.Health client over the same mTLS port. */
export function createHealthClient(port: number, tls: ClientTls): Client {
  return new HealthClient(`127.0.0.1:${port}`, channelCredentials(tls), CHANNEL_OPTIONS);
}

/** A client for the same path with identity (de)serialisers: the test controls the wire bytes. */
export function createRawResolverClient(port: number, tls: ClientTls): Client {
  const RawClient = makeGenericClientConstructor(
    {
      resolve: {
        ...secretResolverDefinition.resolve,
        requestSerialize: (bytes: Uint8Array) => Buffer.from(bytes),
        responseDeserialize: (bytes: Buffer) => bytes,
      },
    },
    'SecretResolverRaw',
  );
  return new RawClient(`127.0.0.1:${port}`, channelCredentials(tls), CHANNEL_OPTIONS);
}

/** The comma-separated names of the `missing-names` trailer. */
export function missingNamesTrailer(error: ServiceError | undefined): string[] {
  const value = error?.metadata?.get('missing-names')[0];
  return typeof value === 'string' ? value.split(',') : [];
}
