import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config/config.js';
import { loadKeyring } from '../../services/core/config/load-keyring.js';
import { createDataSource } from '../../services/storage/data-source.js';
import { inspectAfterCrash } from './support/crash-database.js';
import { startCliApi, type CliApi } from './support/crash-process.js';
import { CREATE_SECRET, IMPORT_SECRETS, UPDATE_SECRET_VALUE } from '../support/graphql-documents.js';

// SQLite allows one writer at a time across processes; each process serialises its own
// transactions, so what is left to prove is the waiting between processes.
describe('two `strongroom api` processes on one SQLite file', () => {
  let dataDir: string;
  const apis: CliApi[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'strongroom-sqlite-procs-'));
  });
  afterAll(async () => {
    await Promise.all(apis.map((a) => a.process.kill()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'write the same secrets at once without a lost, doubled or failed write',
    { timeout: 60_000 },
    async () => {
      const dbPath = join(dataDir, 'shared.sqlite');
      // One at a time: the first applies the migrations.
      for (let i = 0; i < 2; i++)
        apis.push(
          await startCliApi(dataDir, `sqlite:${dbPath}`, { sub: 'alice', wid: 'ws-mp', role: 'admin' }),
        );
      const gql = (processIndex: number, query: string, variables: object) =>
        apis[processIndex]!.gql<{ data?: Record<string, { version?: number }>; errors?: unknown[] }>(
          query,
          variables,
        );

      const created = await gql(0, CREATE_SECRET, { i: { name: 'SHARED', value: 'v0' } });
      const id = (created.data!.createSecret as { id: string }).id;
      const names = Array.from({ length: 30 }, (_, i) => `MP_${i}`);
      await gql(1, IMPORT_SECRETS, { i: { dotenv: names.map((n) => `${n}=first`).join('\n') } });

      // Rotations through both processes, and imports overwriting in opposite orders. An
      // import reads before it writes: without taking SQLite's write lock first it got
      // SQLITE_BUSY at once whenever the other process was writing.
      const rotations = Array.from({ length: 40 }, (_, i) =>
        gql(i % 2, UPDATE_SECRET_VALUE, { i: { id, value: `v${i + 1}` } }),
      );
      const imports = [names, [...names].reverse()].map((order, i) =>
        gql(i, IMPORT_SECRETS, {
          i: { dotenv: order.map((n) => `${n}=p${i}`).join('\n'), onConflict: 'OVERWRITE' },
        }),
      );
      const results = await Promise.all([...rotations, ...imports]);
      expect(results.filter((r) => r.errors)).toEqual([]);
      const versions = results.slice(0, 40).map((r) => r.data!.updateSecretValue!.version!);
      expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));

      const dataSource = createDataSource({ kind: 'sqlite', path: dbPath });
      await dataSource.initialize();
      try {
        expect(
          await inspectAfterCrash(dataSource, loadKeyring(loadConfig({ STRONGROOM_DATA_DIR: dataDir }))),
        ).toMatchObject({
          secrets: 31,
          versions: 41 + 30 * 3,
          brokenVersionRuns: 0,
          undecryptable: 0,
          // The secret written 41 times keeps the values of its newest 10 (STRONGROOM_VERSIONS_KEPT).
          destroyed: 31,
          audit: { ok: true },
        });
      } finally {
        await dataSource.destroy();
      }
    },
  );
});
