import { connect as connectTcp } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/cli-process.js';
import {
  createRunnerConnections,
  type RunnerConnections,
  type TlsRefusalReason,
} from '../../services/resolver/tls/runner-connections.js';
import { createTestPki, RUNNER_ALPHA, RUNNER_BETA, type TestPki } from './support/test-pki.js';

/**
 * The resolver's own mTLS listener: the runner of a connection is read once at the
 * handshake and found again by the call's peer, exactly, or not at all.
 */
describe('runner connections', () => {
  let pki: TestPki;
  let connections: RunnerConnections;
  let port: number;
  const accepted: TLSSocket[] = [];
  const opened: Array<{ destroy(): void }> = [];
  const refusals: TlsRefusalReason[] = [];

  beforeAll(async () => {
    pki = await createTestPki();
    connections = createRunnerConnections({
      tls: {
        certPem: Buffer.from(pki.server.certPem),
        keyPem: Buffer.from(pki.server.keyPem),
        runnerCaPem: Buffer.from(pki.caPem),
      },
      // Short, so a silent client is cut quickly; long enough for a real handshake on a busy machine.
      handshakeTimeoutMs: 1_000,
      onConnection: (socket) => accepted.push(socket),
      onRefused: (reason) => refusals.push(reason),
    });
    port = await connections.listen(0, '0.0.0.0');
  });
  afterAll(async () => {
    for (const socket of opened) socket.destroy();
    await connections?.stopAccepting({ cutAll: true });
  });

  /** A verified connection from `localPort` to `host`, presenting `client`. */
  async function open(
    host: string,
    client: TestPki['runnerAlpha'],
    localPort?: number,
  ): Promise<{ socket: TLSSocket; peer: string }> {
    const handedOver = accepted.length;
    const socket = connect({
      // The TCP socket first, to choose its local port.
      socket: connectTcp({ host, port, ...(localPort ? { localPort } : {}) }),
      servername: 'localhost',
      ca: pki.caPem,
      cert: client.certPem,
      key: client.keyPem,
      ALPNProtocols: ['h2'],
    });
    opened.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    expect(socket.alpnProtocol).toBe('h2');
    // The server side is handed over once its own side of the handshake completes.
    await until(() => accepted.length > handedOver);
    return { socket, peer: `127.0.0.1:${socket.localPort}` };
  }

  const closed = (socket: TLSSocket) =>
    new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
    });

  it('names the runner of each connection by its peer, SAN URI first, else the CN', async () => {
    const alpha = await open('127.0.0.1', pki.runnerAlpha);
    const beta = await open('127.0.0.1', pki.runnerBeta);
    expect(connections.runnerOf(alpha.peer)).toEqual({ id: RUNNER_ALPHA });
    expect(connections.runnerOf(beta.peer)).toEqual({ id: RUNNER_BETA });
    expect(connections.runnerOf('127.0.0.1:1')).toBeUndefined();
    await closed(alpha.socket);
    await until(() => connections.runnerOf(alpha.peer) === undefined);
    expect(connections.runnerOf(beta.peer)).toEqual({ id: RUNNER_BETA });
  });

  it('answers nothing for a peer with two open connections, and the right runner once one closes', async () => {
    // One client port reaching two of the server's addresses: one peer, two connections.
    const localPort = await freePort();
    const alpha = await open('127.0.0.1', pki.runnerAlpha, localPort);
    const beta = await open('127.0.0.2', pki.runnerBeta, localPort);
    expect(alpha.peer).toBe(beta.peer);
    expect(connections.runnerOf(alpha.peer)).toBeUndefined();
    await closed(beta.socket);
    await until(() => connections.runnerOf(alpha.peer) !== undefined);
    expect(connections.runnerOf(alpha.peer)).toEqual({ id: RUNNER_ALPHA });
  });

  it('refuses a client without a certificate at the handshake', async () => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.caPem });
    opened.push(socket);
    const failure = await new Promise<string>((resolve) => {
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      socket.once('data', () => resolve('got data'));
    });
    expect(failure).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    await until(() => refusals.includes('no_certificate'));
  });

  it('tells why it refused a connection: a silent client, plain HTTP, an untrusted certificate', async () => {
    refusals.length = 0;
    const ended = (socket: ReturnType<typeof connectTcp>) =>
      new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.once('error', () => undefined);
      });
    const silent = connectTcp({ host: '127.0.0.1', port });
    opened.push(silent);
    await ended(silent);
    const plain = connectTcp({ host: '127.0.0.1', port }, () => plain.write('GET / HTTP/1.1\r\n\r\n'));
    opened.push(plain);
    await ended(plain);
    const foreign = connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki.caPem,
      cert: pki.foreignRunner.certPem,
      key: pki.foreignRunner.keyPem,
    });
    opened.push(foreign);
    foreign.once('error', () => undefined);
    await until(() => refusals.length === 3);
    expect(refusals).toEqual(['handshake_timeout', 'not_tls', 'other']);
    expect(accepted.some((s) => s.remotePort === foreign.localPort)).toBe(false);
  });
});

/** Waits (up to 5 s) until `condition` holds. */
const until = (condition: () => boolean): Promise<void> =>
  waitFor(async () => {
    if (!condition()) throw new Error('condition not met in time');
  }, 5_000);
