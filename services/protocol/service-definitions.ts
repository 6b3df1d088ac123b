import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { Health } from './gen/grpc/health/v1/health_pb.js';
import { SecretResolver } from './gen/strongroom/resolver/v1/resolver_pb.js';
import { unaryMethodDefinition } from './grpc-method.js';

/** `strongroom.resolver.v1.SecretResolver` for grpc-js servers and clients (SPEC §6). */
export const secretResolverDefinition = {
  resolve: unaryMethodDefinition(SecretResolver.method.resolve),
} satisfies ServiceDefinition<UntypedServiceImplementation>;

/** `grpc.health.v1.Health`, Check only: Watch answers UNIMPLEMENTED, which the protocol allows. */
export const healthDefinition = {
  check: unaryMethodDefinition(Health.method.check),
} satisfies ServiceDefinition<UntypedServiceImplementation>;
