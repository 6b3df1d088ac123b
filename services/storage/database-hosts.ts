import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { DatabaseHost } from './database-config.js';

/**
 * A mysql:// URL that may name several servers, comma-separated, the way MariaDB's and
 * MySQL's own connectors write a failover list: `mysql://user:pw@db1:3306,db2:3306/name`.
 * Returns the URL with only the first (what TypeORM and mysql2 parse) and, when there
 * are several, every host in order.
 */
export function parseDatabaseHosts(url: string): { url: string; hosts?: DatabaseHost[] } {
  const match = /^(mysql:\/\/(?:[^@/?#]*@)?)([^/?#]+)(.*)$/.exec(url);
  if (!match || !match[2]!.includes(',')) return { url };
  const hosts = match[2]!.split(',').map((entry) => {
    const at = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.trim());
    if (!at) throw new Error(`DATABASE_URL: "${entry}" is not host or host:port`);
    return { host: at[1]!.replace(/^\[|\]$/g, ''), port: at[2] ? Number(at[2]) : 3306 };
  });
  const first = hosts[0]!;
  const firstHost = first.host.includes(':') ? `[${first.host}]` : first.host;
  return { url: `${match[1]}${firstHost}:${first.port}${match[3]}`, hosts };
}

/** How long a host that refused a connection is tried only after the others. */
const DOWN_FOR_MS = 5_000;

/**
 * Chooses the server each new connection of a pool goes to, from a list of nodes of one
 * cluster. It keeps to the node it last reached (so a pool does not spread over nodes,
 * and a node that has just come back, still catching up, gets no traffic until the one
 * in use fails), and otherwise tries them in the configured order, those that failed in
 * the last few seconds last. `markDown` is how a node that failed is reported.
 */
export function createHostChooser(hosts: readonly DatabaseHost[], now: () => number = Date.now) {
  let current = 0;
  const downUntil = new Map<number, number>();
  return {
    /** Host indexes to try, best first. */
    order(): number[] {
      const at = now();
      const all = [current, ...hosts.keys()].filter((index, i, list) => list.indexOf(index) === i);
      const up = all.filter((index) => (downUntil.get(index) ?? 0) <= at);
      const down = all.filter((index) => (downUntil.get(index) ?? 0) > at);
      return [...up, ...down];
    },
    reached(index: number): void {
      current = index;
      downUntil.delete(index);
    },
    markDown(index: number): void {
      downUntil.set(index, now() + DOWN_FOR_MS);
    },
    host: (index: number): DatabaseHost => hosts[index]!,
  };
}

export type HostChooser = ReturnType<typeof createHostChooser>;

/**
 * A socket for mysql2 (its `stream` option) that connects to the first host of the
 * chooser's order that accepts a TCP connection: a node that is down costs a refused
 * connect (or `connectTimeoutMs`), not the statement waiting for this connection. Once
 * connected it only passes bytes through; a later failure is the connection's, as with
 * a plain socket.
 */
export function failoverSocket(chooser: HostChooser, connectTimeoutMs: number): FailoverSocket {
  let socket: Socket | undefined;
  let reachedIndex: number | undefined;
  const pending: Array<{ chunk: Buffer; done: (error?: Error | null) => void }> = [];
  const duplex = new Duplex({
    read() {
      socket?.resume();
    },
    write(chunk: Buffer, _encoding, done) {
      if (socket) socket.write(chunk, done);
      else pending.push({ chunk, done });
    },
    final(done) {
      socket?.end();
      done();
    },
    destroy(error, done) {
      socket?.destroy();
      done(error);
    },
  });

  const order = chooser.order();
  const tryHost = (n: number, lastError?: Error): void => {
    if (duplex.destroyed) return;
    const index = order[n];
    if (index === undefined) {
      duplex.destroy(lastError ?? new Error('no database host to connect to'));
      return;
    }
    const { host, port } = chooser.host(index);
    const attempt = connect({ host, port, noDelay: true, keepAlive: true });
    const timer = setTimeout(() => attempt.destroy(timeoutError(host, port)), connectTimeoutMs);
    attempt.once('error', (error) => {
      clearTimeout(timer);
      chooser.markDown(index);
      tryHost(n + 1, error);
    });
    attempt.once('connect', () => {
      clearTimeout(timer);
      attempt.removeAllListeners('error');
      chooser.reached(index);
      reachedIndex = index;
      socket = attempt;
      attempt.on('data', (data: Buffer) => {
        if (!duplex.push(data)) attempt.pause();
      });
      attempt.on('end', () => duplex.push(null));
      attempt.on('error', (error) => {
        chooser.markDown(index);
        duplex.destroy(error);
      });
      attempt.on('close', () => duplex.destroy());
      for (const { chunk, done } of pending.splice(0)) attempt.write(chunk, done);
    });
  };
  tryHost(0);
  return Object.assign(duplex, {
    hostDown(): void {
      if (reachedIndex !== undefined) chooser.markDown(reachedIndex);
    },
  });
}

/** The socket of a connection to one of several hosts; `hostDown` reports that its server cannot serve. */
export type FailoverSocket = Duplex & { hostDown(): void };

/**
 * Reports the server of a mysql2 connection as unable to serve (a Galera node outside
 * the primary component), when the connection came through `failoverSocket`: new
 * connections go to the other hosts first for a while. Does nothing otherwise.
 */
export function reportHostDown(connection: { stream?: unknown } | undefined): void {
  (connection?.stream as Partial<FailoverSocket> | undefined)?.hostDown?.();
}

function timeoutError(host: string, port: number): Error {
  return Object.assign(new Error(`connect ETIMEDOUT ${host}:${port}`), { code: 'ETIMEDOUT' });
}
