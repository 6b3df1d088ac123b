import { readFileSync } from 'node:fs';
import { Server, type handleUnaryCall } from '@grpc/grpc-js';
import type {
  ResolveRequest,
  ResolveResponse,
} from '../../services/resolver/gen/strongroom/resolver/v1/resolver_pb.js';
import { secretResolverDefinition } from '../../services/resolver/service-definitions.js';
import { createRunnerServerCredentials } from '../../services/resolver/tls/server-credentials.js';

/**
 * Serves `resolve` on the resolver's own service definition and mTLS credentials (the
 * TLS files of `STRONGROOM_TLS_*`), on a free port, and prints `ready <port>`: the
 * floors differ from the real resolver only in what the handler does.
 */
export async function serveFloor(
  resolve: handleUnaryCall<ResolveRequest, ResolveResponse>,
  onStop: () => Promise<void> = async () => {},
): Promise<void> {
  const env = process.env;
  const server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 });
  server.addService(secretResolverDefinition, { resolve });
  const credentials = createRunnerServerCredentials({
    certPem: readFileSync(env.STRONGROOM_TLS_CERT!),
    keyPem: readFileSync(env.STRONGROOM_TLS_KEY!),
    runnerCaPem: readFileSync(env.STRONGROOM_RUNNER_CA!),
  });
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
