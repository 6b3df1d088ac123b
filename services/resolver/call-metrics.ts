import { status, type handleUnaryCall } from '@grpc/grpc-js';
import type { Metrics } from '../core/metrics/metrics.js';
import { startRequestTimer } from '../core/metrics/request-timer.js';

/** A gRPC status code as its name (`OK`, `NOT_FOUND`, …), the `outcome` label of resolver requests. */
export function grpcStatusName(code: number | undefined): string {
  return status[code ?? status.UNKNOWN] ?? 'UNKNOWN';
}

/**
 * Wraps a unary handler so each call is counted and timed under `operation`, with the
 * status it ended with. A call the client cancelled (or whose deadline passed) gets no
 * reply from our handlers, so it is recorded as `CANCELLED` when grpc-js says so.
 */
export function instrumentUnary<Req, Res>(
  handler: handleUnaryCall<Req, Res>,
  { metrics, operation }: { metrics: Pick<Metrics, 'requestsTotal' | 'requestDuration'>; operation: string },
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const end = startRequestTimer(metrics, { service: 'resolver', operation });
    call.once('cancelled', () => end('CANCELLED'));
    handler(call, (error, ...rest) => {
      end(error ? grpcStatusName(error.code) : 'OK');
      callback(error, ...rest);
    });
  };
}
