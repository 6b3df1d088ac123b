import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ResolvedValue } from '../core/resolution/resolution-types.js';
import type { ResolvedSecretSchema } from '../protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { scopeToProto } from '../protocol/wire-mapping.js';

/** A resolved value as the wire message. */
export function resolvedSecretToProto(value: ResolvedValue): MessageInitShape<typeof ResolvedSecretSchema> {
  return { name: value.name, value: value.value, scope: scopeToProto(value.scope), version: value.version };
}
