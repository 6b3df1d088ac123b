import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { spawnCli, type CliProcess } from '../support/cli-process.js';
import { CREATE_SECRET, UPDATE_SECRET_VALUE } from '../support/graphql-documents.js';
import { databaseUrlOf } from './support/crash-database.js';
import { cliEnv, pollUntil, startCliApi } from './support/crash-process.js';

/** SPEC §5.2: the outbox is committed with the change, so kill -9 right after it loses no event. */
describe.concurrent.each(DATABASE_KINDS)(
  'kill -9 of `strongroom api` right after a rotation on %s',
  (kind) => {
    let db: TestDatabase;
    let dataDir: string;
    const processes: CliProcess[] = [];
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = 204;
        res.end();
      });
    });

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataDir = mkdtempSync(join(tmpdir(), 'strongroom-crash-hooks-'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const p of processes) await p.kill();
      await new Promise((resolve) => server.close(resolve));
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('the rotation’s event is delivered by a worker started after the crash', async () => {
      const api = await startCliApi(dataDir, databaseUrlOf(db.config), {
        sub: 'alice',
        wid: 'ws-crash',
        role: 'admin',
      });
      processes.push(api.process);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const created = await api.gql<{ data: { createWebhookEndpoint: { signingSecret: string } } }>(
        `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { signingSecret } }`,
        { i: { url, events: ['secret.rotated'] } },
      );
      expect(created.data.createWebhookEndpoint.signingSecret).toMatch(/^whsec_/);
      const secret = await api.gql<{ data: { createSecret: { id: string } } }>(CREATE_SECRET, {
        i: { name: 'CRASHED', value: 'before-the-crash' },
      });
      const rotated = await api.gql<{ data: { updateSecretValue: { version: number } } }>(
        UPDATE_SECRET_VALUE,
        {
          i: { id: secret.data.createSecret.id, value: 'after-the-crash' },
        },
      );
      expect(rotated.data.updateSecretValue.version).toBe(2);
      // The answer came after the commit; the process dies before any worker could run.
      await api.process.kill();
      expect(received).toHaveLength(0);

      const worker = spawnCli(['webhooks'], cliEnv(dataDir, databaseUrlOf(db.config)));
      processes.push(worker);
      await pollUntil(() => (received.length > 0 ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 50,
        what: 'the event',
      });
      const body = JSON.parse(received[0]!.body) as { type: string; data: { name: string; version: number } };
      expect(body).toMatchObject({ type: 'secret.rotated', data: { name: 'CRASHED', version: 2 } });
      expect(received[0]!.body).not.toContain('after-the-crash');
      await worker.stop(5_000);
      expect(received).toHaveLength(1);
    });
  },
);
