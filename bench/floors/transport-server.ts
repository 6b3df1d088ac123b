/**
 * Floor (a), the transport limit: a bare grpc-js mTLS server answering every Resolve
 * with a message shaped like the real resolver's (the requested names, values of the
 * seeded length), doing no other work.
 */
import { create } from '@bufbuild/protobuf';
import {
  ResolveResponseSchema,
  Scope,
} from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { serveFloor } from './grpc-floor-server.js';

// Echoes the requested names with values as long as the seeded ones: no lookup, no crypto, no audit.
await serveFloor((call, callback) =>
  callback(
    null,
    create(ResolveResponseSchema, {
      secrets: call.request.names.map((name) => ({
        name,
        value: `value-of-${name}-v1`,
        scope: Scope.WORKSPACE,
        version: 1,
      })),
    }),
  ),
);
