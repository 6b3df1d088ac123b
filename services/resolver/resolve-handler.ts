import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import type { handleUnaryCall, Metadata } from '@grpc/grpc-js';
import { DomainError } from '../core/errors/domain-error.js';
import type { Logger } from '../core/logging/logger.js';
import type { ResolutionService } from '../core/resolution/resolution-service.js';
import {
  ResolveResponseSchema,
  type ResolveRequest,
  type ResolveResponse,
} from './gen/strongroom/resolver/v1/resolver_pb.js';
import { resolvedSecretToProto, runContextFromProto } from './proto-mapping.js';
import { runnerIdentityFromCertificate } from './runner-identity.js';
import { toGrpcStatus } from './status-mapping.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's `x-request-id` when well-formed, else a fresh one: it ties audit records to runner logs. */
export function requestIdOf(metadata: Metadata): string {
  const given = metadata.get('x-request-id')[0];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * `SecretResolver.Resolve`: parses the call, asks the resolution service, maps the
 * answer. It decides nothing itself. Nothing is sent once the caller has gone
 * (deadline or cancel); errors are logged with their cause, sent without it.
 */
export function createResolveHandler({
  resolutionService,
  logger,
}: {
  resolutionService: Pick<ResolutionService, 'resolveForRun'>;
  logger: Logger;
}): handleUnaryCall<ResolveRequest, ResolveResponse> {
  return (call, callback) => {
    const requestId = requestIdOf(call.metadata);
    const runner = runnerIdentityFromCertificate(call.getAuthContext().sslPeerCertificate);
    // grpc-js cancels the call (and emits 'cancelled') when the deadline passes or the client goes away.
    const aborter = new AbortController();
    const onCancelled = () => aborter.abort();
    call.on('cancelled', onCancelled);
    const log = logger.child({ requestId, runner: runner?.id ?? null, peer: call.getPeer() });

    resolutionService
      .resolveForRun(runner, runContextFromProto(call.request.context), call.request.names, {
        requestId,
        sourceAddress: call.getPeer(),
        signal: aborter.signal,
      })
      .then(
        (values) => {
          if (call.cancelled) {
            log.warn({ names: values.length }, 'caller went away before the response was sent; nothing sent');
            return;
          }
          log.info({ names: values.length }, 'resolved');
          callback(null, create(ResolveResponseSchema, { secrets: values.map(resolvedSecretToProto) }));
        },
        (thrown: unknown) => {
          const error = DomainError.from(thrown);
          const serverSide = error.code === 'INTERNAL' || error.code === 'UNAVAILABLE';
          log[serverSide ? 'error' : 'warn'](
            { code: error.code, err: error.cause ?? undefined },
            error.message,
          );
          if (!call.cancelled) callback(toGrpcStatus(error, requestId));
        },
      )
      .finally(() => call.off('cancelled', onCancelled));
  };
}
