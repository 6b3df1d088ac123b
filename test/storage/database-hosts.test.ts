import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createHostChooser,
  failoverSocket,
  parseDatabaseHosts,
} from '../../services/storage/database-hosts.js';
import { loadConfig } from '../../services/core/config/config.js';

describe('a DATABASE_URL naming several hosts', () => {
  it('keeps a one-host URL as it is', () => {
    expect(parseDatabaseHosts('mysql://u:p@db:3306/strongroom?ssl=x')).toEqual({
      url: 'mysql://u:p@db:3306/strongroom?ssl=x',
    });
  });

  it('gives TypeORM the first host and the pool every host in order (3306 by default)', () => {
    expect(parseDatabaseHosts('mysql://u:p@db1:3311,db2,[::1]:3313/strongroom')).toEqual({
      url: 'mysql://u:p@db1:3311/strongroom',
      hosts: [
        { host: 'db1', port: 3311 },
        { host: 'db2', port: 3306 },
        { host: '::1', port: 3313 },
      ],
    });
    const config = loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3311,127.0.0.1:3312/s' });
    expect(config.database).toEqual({
      kind: 'mysql',
      url: 'mysql://root@127.0.0.1:3311/s',
      hosts: [
        { host: '127.0.0.1', port: 3311 },
        { host: '127.0.0.1', port: 3312 },
      ],
    });
  });
});

describe('the host chooser', () => {
  it('keeps to the host it last reached, and tries one that failed lately only after the rest', () => {
    let now = 0;
    const chooser = createHostChooser(
      [1, 2, 3].map((n) => ({ host: `db${n}`, port: 3306 })),
      () => now,
    );
    expect(chooser.order()).toEqual([0, 1, 2]);
    chooser.markDown(0);
    expect(chooser.order()).toEqual([1, 2, 0]);
    chooser.reached(2);
    expect(chooser.order()).toEqual([2, 1, 0]);
    now = 10_000;
    // The first host is back in the list, but the pool keeps to the one it reached.
    expect(chooser.order()).toEqual([2, 0, 1]);
  });
});

describe('the failover socket', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('connects to the first host that accepts and passes bytes both ways', async () => {
    const server = createServer((socket) => socket.on('data', (d) => socket.write(`echo:${String(d)}`)));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    // A port nothing listens on: the one just closed.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const chooser = createHostChooser([
      { host: '127.0.0.1', port: deadPort },
      { host: '127.0.0.1', port },
    ]);
    const socket = failoverSocket(chooser, 1_000);
    socket.write('hello');
    const answer = await new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => resolve(String(d))),
    );
    expect(answer).toBe('echo:hello');
    socket.destroy();
    expect(chooser.order()).toEqual([1, 0]);
  });
});
