import { create } from '@bufbuild/protobuf';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { DomainError, type DomainErrorCode } from '../protocol/domain-error.js';
import {
  ResolveRequestSchema,
  type ResolveResponse,
} from '../protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { secretResolverDefinition } from '../protocol/service-definitions.js';
import {
  DOMAIN_CODE_BY_GRPC_STATUS,
  EXPIRED_NAMES_TRAILER,
  INVALID_FIELD_TRAILER,
  MISSING_NAMES_TRAILER,
  REQUEST_ID_TRAILER,
} from '../protocol/status-codes.js';
import { runContextToProto, scopeFromProto } from '../protocol/wire-mapping.js';
import { MissingSecretsError } from './sdk-errors.js';
import type { ResolvedSecret, RunContext, SecretResolverClient } from './resolver-client-types.js';

/** PEM text, as a string or the bytes of a file. */
export type Pem = string | Buffer;

/** How to reach the resolver over mutual TLS (SPEC §6, §9). */
export interface ResolverClientOptions {
  /** `host:port` of the resolver. */
  address: string;
  /** The CA the resolver's server certificate must chain to (never the public roots). */
  ca: Pem;
  /** The runner's client certificate (chain) and its private key: the runner's identity. */
  cert: Pem;
  key: Pem;
  /** Deadline of each Resolve call in milliseconds (default 10 000). */
  deadlineMs?: number;
  /**
   * The name to verify the server certificate for, when it differs from the host of
   * `address` (e.g. dialling an IP whose certificate names `localhost`).
   */
  serverName?: string;
}

/** The default per-call deadline: long enough for a cold database, short enough that a run fails visibly. */
export const DEFAULT_RESOLVE_DEADLINE_MS = 10_000;

// A response can hold 100 values of up to 64 KiB each; grpc-js refuses more than 4 MiB by default.
const MAX_RECEIVE_BYTES = 8 * 1024 * 1024;

/**
 * The remote `SecretResolverClient`: `strongroom.resolver.v1.SecretResolver/Resolve`
 * over mutual TLS, with the same service definition (and generated message
 * schemas) the resolver serves with. Each call has its own deadline; a failed call
 * becomes a `DomainError` (see `resolverErrorFromStatus`), a NOT_FOUND a
 * `MissingSecretsError` naming every missing name. `close()` releases the channel.
 */
export function createResolverClient(options: ResolverClientOptions): SecretResolverClient {
  const deadlineMs = options.deadlineMs ?? DEFAULT_RESOLVE_DEADLINE_MS;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0)
    throw new DomainError('BAD_USER_INPUT', 'deadlineMs must be a positive number', {
      details: { field: 'deadlineMs' },
    });
  const client = new Client(options.address, channelCredentials(options), {
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
    // The SDK serves no channelz, so grpc-js need not keep its per-call counters.
    'grpc.enable_channelz': 0,
    ...(options.serverName ? { 'grpc.ssl_target_name_override': options.serverName } : {}),
  });
  const method = secretResolverDefinition.resolve;

  const call = (context: RunContext, names: string[], runGrant: string) =>
    new Promise<ResolveResponse>((resolve, reject) => {
      const request = create(ResolveRequestSchema, { context: runContextToProto(context), names, runGrant });
      const deadline = new Date(Date.now() + deadlineMs);
      try {
        client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          new Metadata(),
          { deadline },
          (error, response) => {
            if (error) reject(resolverErrorFromStatus(error, { address: options.address, deadlineMs }));
            else if (response) resolve(response);
            else reject(new DomainError('INTERNAL', 'the resolver sent an empty response'));
          },
        );
      } catch (error) {
        // grpc-js throws synchronously once the channel is closed.
        reject(new DomainError('UNAVAILABLE', 'the resolver client is closed', { cause: error }));
      }
    });

  return {
    async resolve(context, requested, options = {}) {
      const names = [...new Set(requested)];
      // Nothing to ask for; the resolver itself refuses an empty list as bad input.
      if (names.length === 0) return [];
      const response = await call(context, names, options.runGrant ?? '');
      return inRequestOrder(names, response);
    },
    close() {
      client.close();
    },
  };
}

/** grpc-js TLS credentials from PEM strings or bytes; all three are required for mTLS. */
function channelCredentials({ ca, cert, key }: ResolverClientOptions) {
  const bytes = (pem: Pem, field: string) => {
    const buffer = typeof pem === 'string' ? Buffer.from(pem) : pem;
    // An empty CA would make grpc-js trust the public root store instead of the resolver's CA.
    if (buffer.length === 0)
      throw new DomainError('BAD_USER_INPUT', `the ${field} PEM is empty`, { details: { field } });
    return buffer;
  };
  return credentials.createSsl(bytes(ca, 'ca'), bytes(key, 'key'), bytes(cert, 'cert'));
}

/**
 * The response as `ResolvedSecret`s in request order. A response that lacks a
 * requested name breaks the all-or-nothing contract, so it is refused rather than
 * letting a run start with a variable unset.
 */
function inRequestOrder(names: string[], response: ResolveResponse): ResolvedSecret[] {
  const byName = new Map(response.secrets.map((secret) => [secret.name, secret]));
  return names.map((name) => {
    const secret = byName.get(name);
    const scope = secret && scopeFromProto(secret.scope);
    if (!secret || !scope)
      throw new DomainError('INTERNAL', `the resolver answered without a usable value for ${name}`);
    return { name, value: secret.value, scope, version: secret.version };
  });
}

/**
 * A failed Resolve call as a DomainError. NOT_FOUND with a `missing-names` trailer
 * is a `MissingSecretsError`; anything else keeps the resolver's message (it is
 * value-free by contract), the `invalid-field` trailer as `details.field`, and the
 * call's request id for correlating with the resolver's audit log. The grpc-js
 * error is kept as `cause`, for logs only.
 */
export function resolverErrorFromStatus(
  error: ServiceError,
  call: { address: string; deadlineMs: number },
): DomainError {
  const trailer = (key: string) => {
    const value = error.metadata?.get(key)[0];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const requestId = trailer(REQUEST_ID_TRAILER);
  const missing = trailer(MISSING_NAMES_TRAILER)?.split(',').filter(Boolean) ?? [];
  if (error.code === status.NOT_FOUND && missing.length > 0)
    return new MissingSecretsError(missing, { cause: error });

  const code: DomainErrorCode = DOMAIN_CODE_BY_GRPC_STATUS[error.code as status] ?? 'INTERNAL';
  const serverMessage = error.details || `resolver call failed with gRPC status ${error.code}`;
  // These two usually arise in the client (no connection, TLS refused, too slow): say where and how long.
  const message =
    code === 'UNAVAILABLE'
      ? `the resolver at ${call.address} is unavailable: ${serverMessage}`
      : code === 'DEADLINE_EXCEEDED'
        ? `the resolver at ${call.address} did not answer within ${call.deadlineMs} ms`
        : serverMessage;
  const field = trailer(INVALID_FIELD_TRAILER);
  const expiredNames = trailer(EXPIRED_NAMES_TRAILER)?.split(',').filter(Boolean);
  return new DomainError(code, message, {
    details: {
      grpcCode: error.code,
      ...(field ? { field } : {}),
      ...(expiredNames ? { expiredNames } : {}),
      ...(requestId ? { requestId } : {}),
      ...(code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED' ? { retryable: true } : {}),
    },
    cause: error,
  });
}
