import { create } from '@bufbuild/protobuf';
import { status, type handleUnaryCall } from '@grpc/grpc-js';
import {
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthCheckResponseSchema,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from '../protocol/gen/grpc/health/v1/health_pb.js';
import { SecretResolver } from '../protocol/gen/strongroom/resolver/v1/resolver_pb.js';

/**
 * `grpc.health.v1.Health/Check` for the whole server ("") and for
 * `strongroom.resolver.v1.SecretResolver`: SERVING while `isReady` says so (the
 * database answers), NOT_SERVING otherwise; any other service name is NOT_FOUND.
 */
export function createHealthCheckHandler({
  isReady,
}: {
  isReady: () => Promise<boolean>;
}): handleUnaryCall<HealthCheckRequest, HealthCheckResponse> {
  const known = new Set(['', SecretResolver.typeName]);
  return (call, callback) => {
    if (!known.has(call.request.service)) {
      callback({ code: status.NOT_FOUND, details: 'unknown service' });
      return;
    }
    isReady()
      .catch(() => false)
      .then((ready) => {
        const servingStatus = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        callback(null, create(HealthCheckResponseSchema, { status: servingStatus }));
      });
  };
}
