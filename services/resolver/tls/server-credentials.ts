import { ServerCredentials } from '@grpc/grpc-js';

/**
 * mTLS server credentials: only clients whose certificate chains to the runner CA
 * complete the handshake. The CA is never null (grpc-js would fall back to the
 * public root store, SPEC §12) and client certificates are always required.
 */
export function createRunnerServerCredentials(tls: {
  certPem: Buffer;
  keyPem: Buffer;
  runnerCaPem: Buffer;
}): ServerCredentials {
  if (tls.runnerCaPem.length === 0)
    throw new Error('the runner CA is empty; refusing to accept any client certificate');
  const checkClientCertificate = true;
  return ServerCredentials.createSsl(
    tls.runnerCaPem,
    [{ cert_chain: tls.certPem, private_key: tls.keyPem }],
    checkClientCertificate,
  );
}
