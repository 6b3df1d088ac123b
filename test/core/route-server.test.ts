import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRouteServer, sendJson } from '../../services/core/http/route-server.js';

const silentLogger = { error: () => undefined };

/** A GET through `agent`: the status, and whether it went out on a connection kept from before. */
function get(port: number, path: string, agent: Agent) {
  return new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

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
      expect(await get(port, '/fast', agent)).toEqual({ status: 200, reused: false });
      const slow = get(port, '/slow', agent);
      // The request is in flight on the kept connection when the server starts closing.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      const closed = http.close(30_000);
      release();
      expect(await slow).toEqual({ status: 200, reused: true });
      await closed;
      // Not the keep-alive timeout (65 s), nor the grace period (30 s).
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      agent.destroy();
    }
  });
});
