import type { SecureServerOptions } from 'node:http2';
import type { SecureContextOptions } from 'node:tls';
import { ServerCredentials } from '@grpc/grpc-js';

/** Node's default is 120 s: that long a silent TCP client would hold a socket. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * grpc-js has no channel option for the TLS handshake timeout, but it builds its
 * `http2.createSecureServer` from the credentials' constructor options, so this adds
 * `handshakeTimeout` there and leaves everything `createSsl` chose untouched.
 */
class HandshakeBoundedCredentials extends ServerCredentials {
  constructor(constructorOptions: SecureServerOptions, contextOptions: SecureContextOptions) {
    super(constructorOptions, contextOptions);
  }

  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}

/**
 * mTLS server credentials: only clients whose certificate chains to the runner CA
 * complete the handshake, within `handshakeTimeoutMs`. The CA is never null (grpc-js
 * would fall back to the public root store, SPEC §12) and client certificates are
 * always required.
 */
export function createRunnerServerCredentials(
  tls: { certPem: Buffer; keyPem: Buffer; runnerCaPem: Buffer },
  { handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS }: { handshakeTimeoutMs?: number } = {},
): ServerCredentials {
  if (tls.runnerCaPem.length === 0)
    throw new Error('the runner CA is empty; refusing to accept any client certificate');
  const checkClientCertificate = true;
  const base = ServerCredentials.createSsl(
    tls.runnerCaPem,
    [{ cert_chain: tls.certPem, private_key: tls.keyPem }],
    checkClientCertificate,
  );
  const constructorOptions = base._getConstructorOptions();
  const contextOptions = base._getSecureContextOptions();
  if (!constructorOptions || !contextOptions)
    throw new Error('grpc-js returned insecure credentials for createSsl');
  return new HandshakeBoundedCredentials(
    { ...constructorOptions, handshakeTimeout: handshakeTimeoutMs },
    contextOptions,
  );
}
