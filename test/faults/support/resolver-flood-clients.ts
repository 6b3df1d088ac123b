import { spawn } from 'node:child_process';
import { connect as connectHttp2, constants } from 'node:http2';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import type { IssuedCertificate } from '../../../services/resolver/tls/certificates.js';

/**
 * Hostile and broken clients of the resolver's port, built on node:net, node:tls and
 * node:http2 so they can do what a grpc-js client never would: stall, dribble, flood.
 */

/** A connection the test watches: when the server closed it, and a way to drop it ourselves. */
export interface WatchedConnection {
  /** Resolves when the connection is gone, with how long it stayed open. */
  closed: Promise<{ openMs: number }>;
  destroy(): void;
}

const SERVER_NAME = 'localhost';
// The HTTP/2 client preface and an empty SETTINGS frame: what a real client sends first.
const HTTP2_PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
  Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]),
]);

/** A TCP client that connects and never sends a ClientHello. */
export function silentTcpClient(port: number): WatchedConnection {
  const opened = Date.now();
  const socket = connectTcp({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  // Reading is not speaking: without it the server's FIN would sit unread and 'close' never come.
  socket.resume();
  return {
    closed: new Promise((resolve) => socket.once('close', () => resolve({ openMs: Date.now() - opened }))),
    destroy: () => socket.destroy(),
  };
}

/** A runner-CA client that completes the TLS handshake (ALPN h2) and then sends nothing at all. */
export async function silentTlsClient(
  port: number,
  tls: { caPem: string; client: IssuedCertificate },
): Promise<WatchedConnection> {
  const socket = connectTls({
    host: '127.0.0.1',
    port,
    servername: SERVER_NAME,
    ca: tls.caPem,
    cert: tls.client.certPem,
    key: tls.client.keyPem,
    ALPNProtocols: ['h2'],
  });
  socket.on('error', () => {});
  socket.resume();
  const closedAt = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('close', () => reject(new Error('closed before the handshake finished')));
  });
  const handshook = Date.now();
  return {
    closed: closedAt.then((at) => ({ openMs: at - handshook })),
    destroy: () => socket.destroy(),
  };
}

/**
 * A runner-CA HTTP/2 client that opens a Resolve stream, sends a message header
 * promising 1000 bytes and 10 of them, and never sends the rest or ends the stream.
 * `maxConcurrentStreams` is what the server advertised in its SETTINGS.
 */
export async function unfinishedStreamClient(
  port: number,
  tls: { caPem: string; client: IssuedCertificate },
): Promise<WatchedConnection & { maxConcurrentStreams: number | undefined }> {
  const session = connectHttp2(`https://127.0.0.1:${port}`, {
    servername: SERVER_NAME,
    ca: tls.caPem,
    cert: tls.client.certPem,
    key: tls.client.keyPem,
  });
  session.on('error', () => {});
  const settings = await new Promise<{ maxConcurrentStreams?: number }>((resolve, reject) => {
    session.once('remoteSettings', resolve);
    session.once('close', () => reject(new Error('closed before the server sent its settings')));
  });
  const opened = Date.now();
  const stream = session.request({
    [constants.HTTP2_HEADER_METHOD]: 'POST',
    [constants.HTTP2_HEADER_PATH]: '/strongroom.resolver.v1.SecretResolver/Resolve',
    [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
    te: 'trailers',
  });
  stream.on('error', () => {});
  const header = Buffer.alloc(5);
  header.writeUInt32BE(1000, 1);
  stream.write(Buffer.concat([header, Buffer.alloc(10, 0x0a)]));
  return {
    maxConcurrentStreams: settings.maxConcurrentStreams,
    closed: new Promise((resolve) => session.once('close', () => resolve({ openMs: Date.now() - opened }))),
    destroy: () => session.destroy(),
  };
}

/** What one certificate-less connection of a flood saw. */
export interface FloodOutcome {
  /** The TLS error that ended it (for example the server's certificate_required alert), if any. */
  error?: string;
  /** Application bytes the server sent: any at all would mean an HTTP/2 session was opened. */
  appBytes: number;
  /** True when the test had to give up on it and destroy it itself. */
  timedOut: boolean;
}

/**
 * `count` concurrent TLS connections without a client certificate. Each sends the
 * HTTP/2 preface as soon as its side of the handshake is done (TLS 1.3 lets a client
 * finish before the server has judged its certificate) and waits to be cut off.
 */
export function noCertificateFlood(port: number, caPem: string, count: number): Promise<FloodOutcome[]> {
  const one = () =>
    new Promise<FloodOutcome>((resolve) => {
      const outcome: FloodOutcome = { appBytes: 0, timedOut: false };
      const socket: TLSSocket = connectTls({
        host: '127.0.0.1',
        port,
        servername: SERVER_NAME,
        ca: caPem,
        ALPNProtocols: ['h2'],
      });
      const giveUp = setTimeout(() => {
        outcome.timedOut = true;
        socket.destroy();
      }, 30_000);
      socket.on('secureConnect', () => socket.write(HTTP2_PREFACE));
      socket.on('data', (chunk: Buffer) => (outcome.appBytes += chunk.length));
      socket.on('error', (error: NodeJS.ErrnoException) => (outcome.error ??= error.code ?? error.message));
      socket.once('close', () => {
        clearTimeout(giveUp);
        resolve(outcome);
      });
    });
  return Promise.all(Array.from({ length: count }, one));
}

/**
 * The same flood from a child process, as an attacker elsewhere would send it: the
 * resolver's event loop then carries only the server side of the handshakes.
 */
export function floodFromAnotherProcess(port: number, caPem: string, count: number): Promise<FloodOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/faults/support/resolver-flood-worker.ts', String(port), String(count)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out) as FloodOutcome[]);
      } catch {
        reject(new Error(`the flood process exited ${code} without its outcomes`));
      }
    });
    child.stdin.end(caPem);
  });
}
