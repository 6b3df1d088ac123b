import { request, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServerFor, createVerifierFor } from '../../services/app/api-app.js';
import { openRuntime, type Runtime } from '../../services/app/runtime.js';
import { loadConfig } from '../../services/core/config/config.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { SecretEntity } from '../../services/storage/entities/secret-entity.js';
import { freePort, spawnCli, untilReady, waitFor, type CliProcess } from '../support/cli-process.js';
import { devToken } from '../support/dev-token.js';
import { httpGet } from '../support/http-get.js';

const CREATE = `mutation Slow($i: CreateSecretInput!) { createSecret(input: $i) { id name version } }`;

/**
 * A GraphQL POST whose body is sent in two parts: the request is in flight (the server
 * is reading it) from the first part until `finish()` sends the rest.
 */
function startSlowPost(port: number, headers: Record<string, string>, body: string) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const req = request({
    host: '127.0.0.1',
    port,
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers },
  });
  const response = new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>(
    (resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
    },
  );
  req.flushHeaders();
  req.write(bytes.subarray(0, half));
  return { response, finish: () => req.end(bytes.subarray(half)) };
}

/** Resolves when a new TCP connection to the port is refused; rejects while one is accepted. */
function connectionRefused(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error(`port ${port} still accepts connections`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve() : reject(error),
    );
  });
}

describe('strongroom api, as a process, on SIGTERM', () => {
  let dataDir: string;
  let api: CliProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'strongroom-api-shutdown-'));
  });
  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // One process start-up: seconds, many more when other suites share the cores.
  it(
    'refuses new connections, finishes the request in flight, closes the database and exits 0',
    { timeout: 60_000 },
    async () => {
      const port = await freePort();
      api = spawnCli(['api'], {
        STRONGROOM_DATA_DIR: dataDir,
        STRONGROOM_API_PORT: String(port),
        STRONGROOM_LOG_LEVEL: 'debug',
      });
      await untilReady(api, port, 45_000);
      const token = await devToken(dataDir, { sub: 'alice', wid: 'ws-shutdown', role: 'admin' });

      const slow = startSlowPost(
        port,
        { authorization: `Bearer ${token}`, 'x-request-id': 'in-flight-1' },
        JSON.stringify({
          query: CREATE,
          operationName: 'Slow',
          variables: { i: { name: 'SLOW', value: 'v1' } },
        }),
      );
      // The server has the request: its first log line is written.
      await api.waitForLog((l) => l.requestId === 'in-flight-1' && l.msg === 'graphql request started');

      api.child.kill('SIGTERM');
      await api.waitForLog((l) => l.msg === 'shutting down: draining requests in flight');
      // Not listening any more, while the request in flight still holds the process.
      await waitFor(() => connectionRefused(port), 3_000);
      await expect(httpGet(port, '/healthz')).rejects.toThrow();
      expect(api.child.exitCode).toBeNull();

      slow.finish();
      const answer = await slow.response;
      expect(answer.status).toBe(200);
      expect(answer.headers['x-request-id']).toBe('in-flight-1');
      expect(JSON.parse(answer.body)).toMatchObject({ data: { createSecret: { name: 'SLOW', version: 1 } } });

      expect(await api.exited).toEqual({ code: 0, signal: null });
      const lines = api.logLines();
      const at = (match: (l: Record<string, unknown>) => boolean) => lines.findIndex(match);
      const draining = at((l) => l.msg === 'shutting down: draining requests in flight');
      const served = at((l) => l.requestId === 'in-flight-1' && l.msg === 'graphql request');
      const stopped = at((l) => l.msg === 'stopped');
      expect(draining).toBeGreaterThanOrEqual(0);
      expect(served).toBeGreaterThan(draining);
      expect(stopped).toBeGreaterThan(served);
      expect(lines[served]).toMatchObject({ status: 200, operation: 'mutation createSecret', outcome: 'ok' });

      // The request finished for real: the secret is in the database the process closed.
      const dataSource = createDataSource(loadConfig({ STRONGROOM_DATA_DIR: dataDir }).database);
      await dataSource.initialize();
      try {
        const row = await dataSource.manager.findOneBy(SecretEntity, {
          workspaceId: 'ws-shutdown',
          name: 'SLOW',
        });
        expect(row?.currentVersion).toBe(1);
      } finally {
        await dataSource.destroy();
      }
    },
  );
});

describe('the API server stop, in process', () => {
  let dataDir: string;
  let runtime: Runtime;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'strongroom-api-drain-'));
    runtime = await openRuntime(loadConfig({ STRONGROOM_DATA_DIR: dataDir }), pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns /readyz to 503 when draining, and cuts a request still unfinished when the grace ends', async () => {
    const api = await createApiServerFor(runtime, { verifyToken: await createVerifierFor(runtime.config) });
    const port = await api.listen(0, '127.0.0.1');
    expect((await httpGet(port, '/readyz')).status).toBe(200);
    api.drain();
    expect(await httpGet(port, '/readyz')).toEqual({ status: 503, body: '{"status":"draining"}' });
    expect((await httpGet(port, '/healthz')).status).toBe(200);

    // A client that never sends the rest of its body.
    const stuck = startSlowPost(port, {}, JSON.stringify({ query: '{ __typename }' }));
    const outcome = stuck.response.then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const graceMs = 300;
    const started = Date.now();
    await api.stop(graceMs);
    const waited = Date.now() - started;
    expect(await outcome).toBe('ECONNRESET');
    // It waited for the request in flight, but not for ever.
    expect(waited).toBeGreaterThanOrEqual(graceMs - 20);
    expect(waited).toBeLessThan(5_000);
    await expect(connectionRefused(port)).resolves.toBeUndefined();
  });
});
