import { createServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import type { RunnerIdentity, RunnerRefusal } from '../../core/resolution/resolution-types.js';
import { runnerIdentityFromCertificate, type RunnerIdentityRule } from '../runner-identity.js';
import { normalizeSerial, revokedSerials } from './revocation-list.js';

/** Node's default is 120 s: that long a silent TCP client would hold a socket. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** A connection's peer as grpc-js's `call.getPeer()` spells it: `address:port`. */
const peerOf = (socket: Pick<TLSSocket, 'remoteAddress' | 'remotePort'>): string =>
  `${socket.remoteAddress}:${socket.remotePort}`;

/** Why a connection never got past TLS, in a small fixed set (a metric label). */
export type TlsRefusalReason = 'no_certificate' | 'handshake_timeout' | 'not_tls' | 'other';

/**
 * The reason for a failed handshake, from Node's error code. A certificate from another
 * CA or an expired one shows on the server only as the client hanging up (`other`).
 */
export function tlsRefusalReason(error: { code?: string }): TlsRefusalReason {
  switch (error.code) {
    case 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE':
      return 'no_certificate';
    case 'ERR_TLS_HANDSHAKE_TIMEOUT':
      return 'handshake_timeout';
    case 'ERR_SSL_HTTP_REQUEST':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
      return 'not_tls';
    default:
      return 'other';
  }
}

/**
 * The resolver's mTLS listener. It terminates TLS itself and hands each verified
 * connection to grpc-js (through `Server.createConnectionInjector`), so the runner's
 * identity is read from its certificate once per connection, at the handshake,
 * instead of on every call: grpc-js's `getAuthContext()` rebuilds the whole peer
 * certificate object, fingerprints included, each time it is asked, which was about a
 * tenth of the resolver's CPU per call.
 *
 * A call finds its runner by its peer's address and port (`call.getPeer()`, the only
 * connection detail grpc-js gives a handler). Two open connections can share a peer
 * only in odd set-ups (one client address reaching two of the server's addresses);
 * such a peer is marked ambiguous and its calls read the certificate from the call, as
 * before. An entry goes when its last socket closes, so a later connection reusing the
 * port never sees another's runner.
 *
 * Only clients whose certificate chains to the runner CA, and is not on its revocation
 * list when one is given, complete the handshake, within `handshakeTimeoutMs`; the CA is
 * never empty (Node would otherwise fall back to the public roots, SPEC §13) and client
 * certificates are always required. HTTP/2 is the only protocol offered (ALPN `h2`), as
 * grpc-js's own secure server does. A new revocation list (`updateRevocationList`)
 * applies to the next handshake and cuts the open connections it revokes.
 */
export function createRunnerConnections({
  tls,
  identityRule = 'uri-or-cn',
  revocationListPem,
  handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS,
  onConnection,
  onRefused,
}: {
  tls: { certPem: Buffer; keyPem: Buffer; runnerCaPem: Buffer };
  /** Which certificate names identify a runner (see runner-identity.ts). */
  identityRule?: RunnerIdentityRule;
  /** The runner CA's certificate revocation list (PEM), if there is one. */
  revocationListPem?: Buffer;
  handshakeTimeoutMs?: number;
  /** Receives each verified connection (grpc-js's connection injector). */
  onConnection: (socket: TLSSocket) => void;
  /** Told of each connection refused at the handshake (before any request exists). */
  onRefused?: (reason: TlsRefusalReason) => void;
}) {
  if (tls.runnerCaPem.length === 0)
    throw new Error('the runner CA is empty; refusing to accept any client certificate');
  // Per peer: the runner of each of its open sockets (almost always exactly one).
  const peers = new Map<string, Map<TLSSocket, RunnerIdentity | RunnerRefusal>>();
  // The certificate serial of each open verified socket, to cut it if it is revoked.
  const serials = new Map<TLSSocket, string>();
  const contextOptions = (crl: Buffer | undefined) => ({
    cert: tls.certPem,
    key: tls.keyPem,
    ca: tls.runnerCaPem,
    ...(crl ? { crl } : {}),
  });
  // Every TCP connection until it closes, handshaking or not, so close() can cut them all.
  const sockets = new Set<Socket>();

  const server: TlsServer = createServer(
    {
      ...contextOptions(revocationListPem),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
      handshakeTimeout: handshakeTimeoutMs,
      // grpc-js honours GRPC_SSL_CIPHER_SUITES for its own TLS; so does this listener.
      ...(process.env.GRPC_SSL_CIPHER_SUITES ? { ciphers: process.env.GRPC_SSL_CIPHER_SUITES } : {}),
    },
    (socket) => {
      const peer = peerOf(socket);
      let samePeer = peers.get(peer);
      if (!samePeer) peers.set(peer, (samePeer = new Map()));
      const certificate = socket.getPeerCertificate();
      samePeer.set(socket, runnerIdentityFromCertificate(certificate, identityRule));
      serials.set(socket, certificate.serialNumber);
      const ofThisPeer = samePeer;
      socket.once('close', () => {
        serials.delete(socket);
        ofThisPeer.delete(socket);
        if (ofThisPeer.size === 0 && peers.get(peer) === ofThisPeer) peers.delete(peer);
      });
      onConnection(socket);
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A failed or timed-out handshake ends the connection: once anyone listens for this
  // event, Node leaves closing the socket to the listener.
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket) => {
    socket.destroy();
    onRefused?.(tlsRefusalReason(error));
  });

  return {
    /** Listens on `host:port`; resolves to the bound port (useful with port 0). */
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },

    /**
     * The runner of the connection of `peer` (a call's `getPeer()`): its identity, null
     * when its certificate names none, undefined when no single open connection of
     * ours has that peer (the caller must then read the call's certificate).
     */
    runnerOf(peer: string): RunnerIdentity | RunnerRefusal | undefined {
      const samePeer = peers.get(peer);
      if (samePeer?.size !== 1) return undefined;
      return samePeer.values().next().value;
    },

    /**
     * Serves with a new revocation list from the next handshake on, and cuts every open
     * connection whose certificate it revokes. Returns how many were cut.
     */
    updateRevocationList(crlPem: Buffer): number {
      const revoked = revokedSerials(crlPem);
      server.setSecureContext(contextOptions(crlPem));
      let cut = 0;
      for (const [socket, serial] of serials) {
        if (!revoked.has(normalizeSerial(serial))) continue;
        socket.destroy();
        cut += 1;
      }
      return cut;
    },

    /** Stops accepting connections; `cutAll` also destroys every connection still open. */
    stopAccepting({ cutAll = false }: { cutAll?: boolean } = {}): Promise<void> {
      if (cutAll) for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type RunnerConnections = ReturnType<typeof createRunnerConnections>;
