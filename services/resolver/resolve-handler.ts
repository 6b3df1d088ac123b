import { create } from '@bufbuild/protobuf';
import type { handleUnaryCall } from '@grpc/grpc-js';
import { toDomainError } from '../core/errors/to-domain-error.js';
import { acceptRequestId } from '../core/logging/request-id.js';
import type { Logger } from '../core/logging/logger.js';
import type { ResolutionService } from '../core/resolution/resolution-service.js';
import type { RunnerIdentity, RunnerRefusal } from '../core/resolution/resolution-types.js';
import {
  ResolveResponseSchema,
  type ResolveRequest,
  type ResolveResponse,
} from '../protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { resolvedSecretToProto } from './proto-mapping.js';
import { runContextFromProto } from '../protocol/wire-mapping.js';
import { runnerIdentityFromCertificate, type RunnerIdentityRule } from './runner-identity.js';
import { toGrpcStatus } from './status-mapping.js';

/**
 * `SecretResolver.Resolve`: parses the call, asks the resolution service, maps the
 * answer. It decides nothing itself. Nothing is sent once the caller has gone
 * (deadline or cancel); errors are logged with their cause, sent without it.
 */
export function createResolveHandler({
  resolutionService,
  logger,
  runnerOf,
  identityRule,
}: {
  resolutionService: Pick<ResolutionService, 'resolveForRun'>;
  logger: Logger;
  /**
   * The runner of the connection a call came on (by its peer address), read at its TLS
   * handshake; undefined when the connection is not known there, and the certificate
   * is then read from the call.
   */
  runnerOf: (peer: string) => RunnerIdentity | RunnerRefusal | undefined;
  identityRule: RunnerIdentityRule;
}): handleUnaryCall<ResolveRequest, ResolveResponse> {
  return (call, callback) => {
    // The caller's x-request-id ties audit records to runner logs; same rules as the API's.
    const requestId = acceptRequestId(call.metadata.get('x-request-id').filter((v) => typeof v === 'string'));
    const peer = call.getPeer();
    const known = runnerOf(peer);
    const runner =
      known !== undefined
        ? known
        : runnerIdentityFromCertificate(call.getAuthContext().sslPeerCertificate, identityRule);
    // Fields on each line rather than a child logger per call: a child costs more than the
    // line. Each line's fields are one literal: spreading these and adding one builds a
    // new hidden class per call in this V8.
    const runnerId = 'id' in runner ? runner.id : null;

    resolutionService
      .resolveForRun(
        runner,
        runContextFromProto(call.request.context),
        call.request.names,
        {
          requestId,
          sourceAddress: peer,
          // grpc-js marks the call cancelled when its deadline passes or the client goes away.
          signal: {
            get aborted() {
              return call.cancelled;
            },
          },
        },
        call.request.runGrant || undefined,
      )
      .then(
        (values) => {
          if (call.cancelled) {
            logger.warn(
              { requestId, runner: runnerId, peer, names: values.length },
              'caller went away before the response was sent; nothing sent',
            );
            return;
          }
          logger.info({ requestId, runner: runnerId, peer, names: values.length }, 'resolved');
          callback(null, create(ResolveResponseSchema, { secrets: values.map(resolvedSecretToProto) }));
        },
        (thrown: unknown) => {
          const error = toDomainError(thrown);
          const serverSide =
            error.code === 'INTERNAL' || error.code === 'UNAVAILABLE' || error.code === 'DATA_LOSS';
          logger[serverSide ? 'error' : 'warn'](
            { requestId, runner: runnerId, peer, code: error.code, err: error.cause ?? undefined },
            error.message,
          );
          if (!call.cancelled) callback(toGrpcStatus(error, requestId));
        },
      );
  };
}
