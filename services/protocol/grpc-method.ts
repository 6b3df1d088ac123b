import {
  fromBinary,
  toBinary,
  type DescMessage,
  type DescMethod,
  type MessageShape,
} from '@bufbuild/protobuf';
import type { MethodDefinition } from '@grpc/grpc-js';

/**
 * A grpc-js method definition for a unary RPC described by protoc-gen-es output:
 * the path comes from the descriptor and (de)serialisation from the generated
 * schemas, so no .proto is loaded at run time.
 */
export function unaryMethodDefinition<I extends DescMessage, O extends DescMessage>(
  method: DescMethod & { methodKind: 'unary'; input: I; output: O },
): MethodDefinition<MessageShape<I>, MessageShape<O>> {
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: false,
    responseStream: false,
    originalName: method.localName,
    requestSerialize: (message) => Buffer.from(toBinary(method.input, message)),
    requestDeserialize: (bytes) => fromBinary(method.input, bytes),
    responseSerialize: (message) => Buffer.from(toBinary(method.output, message)),
    responseDeserialize: (bytes) => fromBinary(method.output, bytes),
  };
}
