import { readFileSync } from 'node:fs';
import { Server, ServerCredentials, type handleUnaryCall } from '@grpc/grpc-js';
import type {
  ResolveRequest,
  ResolveResponse,
} from '../../services/protocol/gen/strongroom/resolver/v1/resolver_pb.js';
import { secretResolverDefinition } from '../../services/protocol/service-definitions.js';

/**
 * Serves `resolve` on the resolver's own service definition and the same mTLS files
 * (`STRONGROOM_TLS_*`, client certificates required), on a free port, and prints
 * `ready <port>`. A bare grpc-js server: its TLS is grpc-js's own, and the handler never
 * reads the peer certificate.
 */
export async function serveFloor(
  resolve: handleUnaryCall<ResolveRequest, ResolveResponse>,
  onStop: () => Promise<void> = async () => {},
): Promise<void> {
  const env = process.env;
  const server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 });
  server.addService(secretResolverDefinition, { resolve });
  const requireClientCertificate = true;
  const credentials = ServerCredentials.createSsl(
    readFileSync(env.STRONGROOM_RUNNER_CA!),
    [
      {
        cert_chain: readFileSync(env.STRONGROOM_TLS_CERT!),
        private_key: readFileSync(env.STRONGROOM_TLS_KEY!),
      },
    ],
    requireClientCertificate,
  );
  const port = await new Promise<number>((resolvePort, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) =>
      error ? reject(error) : resolvePort(bound),
    ),
  );
  console.log(`ready ${port}`);
  process.once('SIGTERM', () => {
    server.forceShutdown();
    void onStop();
  });
}
