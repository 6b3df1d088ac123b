import { Agent } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRouteServer, sendJson } from '../../services/core/http/route-server.js';
import { httpGetThrough } from '../support/http-get.js';

const silentLogger = { error: () => undefined };

describe('route server keep-alive', () => {
  it('closing waits for an answer in flight, then lets its kept-alive connection go at once', async () => {
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const http = createRouteServer({
      logger: silentLogger,
      routes: {
        '/fast': (_req, res) => sendJson(res, 200, { ok: true }),
        '/slow': async (_req, res) => {
          await answered;
          sendJson(res, 200, { ok: true });
        },
      },
    });
    const port = await http.listen(0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await httpGetThrough(agent, port, '/fast')).toMatchObject({ status: 200, reused: false });
      const slow = httpGetThrough(agent, port, '/slow');
      // The request is in flight on the kept connection when the server starts closing.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      const closed = http.close(30_000);
      release();
      expect(await slow).toMatchObject({ status: 200, reused: true });
      await closed;
      // Not the keep-alive timeout (65 s), nor the grace period (30 s).
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      agent.destroy();
    }
  });
});
