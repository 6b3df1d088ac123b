import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config/config.js';
import { loadKeyring } from '../../services/core/config/load-keyring.js';
import { createDataSource } from '../../services/storage/data-source.js';
import type { Keyring } from '../../services/core/crypto/keyring.js';
import { countRows, createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import {
  databaseUrlOf,
  inspectAfterCrash,
  openWriteWatcher,
  type WriteProgress,
} from './support/crash-database.js';
import type { CliProcess } from '../support/cli-process.js';
import { pollUntil, startCliApi, type CliApi } from './support/crash-process.js';
import { CREATE_SECRET, IMPORT_SECRETS } from '../support/graphql-documents.js';

const LINES = 1_000;
const PREFIX = 'CRASH_IMPORT_';
const MAX_ATTEMPTS = 4;
const MISSED = 'missed' as const;
const COUNT_IMPORTED = `SELECT COUNT(*) AS n FROM secrets WHERE name LIKE '${PREFIX}%'`;

// Every line a distinct name and a distinct 6 KB value: about 6 MB of .env, so the
// transaction writes far more than SQLite's page cache holds and spills uncommitted
// pages into the WAL before it commits.
const dotenv = Array.from(
  { length: LINES },
  (_, i) => `${PREFIX}${i}=v${i}-${randomBytes(4_500).toString('base64url')}`,
).join('\n');

// The two databases run side by side: most of each is waiting on a child process.
describe.concurrent.each(DATABASE_KINDS)(
  'kill -9 of `strongroom api` in the middle of importSecrets on %s',
  (kind) => {
    let db: TestDatabase;
    let dataDir: string;
    let api: CliProcess | undefined;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataDir = mkdtempSync(join(tmpdir(), 'strongroom-crash-import-'));
    });
    afterAll(async () => {
      await api?.kill();
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** `strongroom api` on the test database, ready, with a workspace admin's token. */
    async function startApi(): Promise<CliApi> {
      const started = await startCliApi(dataDir, databaseUrlOf(db.config), {
        sub: 'alice',
        wid: 'ws-crash',
        role: 'admin',
      });
      api = started.process;
      return started;
    }

    /**
     * Opens the database on a new connection; `checkImported` checks it first and returns how
     * many of the import's lines it holds. Then the two secrets made before the import and
     * those lines must all be there and intact, and the audit log must verify.
     */
    async function expectIntact(
      keyring: Keyring,
      checkImported: (dataSource: DataSource) => Promise<number>,
    ): Promise<number> {
      const dataSource = createDataSource(db.config);
      await dataSource.initialize();
      try {
        const imported = await checkImported(dataSource);
        expect(await inspectAfterCrash(dataSource, keyring)).toMatchObject({
          secrets: 2 + imported,
          versions: 2 + imported,
          orphanVersions: 0,
          brokenVersionRuns: 0,
          undecryptable: 0,
          audit: { ok: true },
        });
        return imported;
      } finally {
        await dataSource.destroy();
      }
    }

    it(
      'leaves all or none of the import, every secret decryptable, no orphan version, a verifying audit log; a restart re-runs it',
      { timeout: 90_000 },
      async () => {
        // The import can outrun the watcher (both databases' cases share this process, and a
        // busy shared machine can stall it past the whole window). Such a try proves nothing,
        // so it is thrown away with its database and the crash is tried again.
        let first!: CliApi;
        let request!: Promise<number | Error>;
        let midway: (WriteProgress & { baselineSeen: number }) | undefined;
        let answered = false;
        for (let attempt = 1; midway === undefined; attempt += 1) {
          if (attempt > MAX_ATTEMPTS)
            throw new Error(`the import finished before it was seen midway, ${MAX_ATTEMPTS} times`);
          if (attempt > 1) {
            await first.process.kill();
            await request;
            await db.drop();
            db = await createTestDatabase(kind);
          }
          first = await startApi();
          // Committed before the crash, and must come through it untouched.
          for (const name of ['BEFORE_ONE', 'BEFORE_TWO']) {
            const created = await first.gql(CREATE_SECRET, { i: { name, value: `${name}-value` } });
            expect(created.data).toBeTruthy();
          }

          const watcher = await openWriteWatcher(db.config, COUNT_IMPORTED);
          const baseline = await watcher.progress();
          expect(baseline.writing).toBe(false);
          answered = false;
          // The bare Response: it counts as answered as soon as it arrives, body unread.
          request = first.post(IMPORT_SECRETS, { i: { dotenv } }).then(
            (response) => {
              answered = true;
              return response.status;
            },
            (error: Error) => error,
          );
          // "In the middle": the import's transaction is open and has written a good part of
          // its rows — MariaDB: at least a tenth of them seen uncommitted; SQLite: the write
          // lock held and over 2 MB of its pages already spilled into the WAL.
          const seen = await pollUntil(
            async () => {
              if (answered) return MISSED;
              const p = await watcher.progress();
              const farEnough =
                kind === 'sqlite' ? p.seen > baseline.seen + 2 * 1024 * 1024 : p.seen >= LINES / 10;
              return p.writing && farEnough && !answered ? p : undefined;
            },
            { timeoutMs: 60_000, intervalMs: 2, what: 'the import transaction to be partly written' },
          );
          await watcher.close();
          if (seen !== MISSED) midway = { ...seen, baselineSeen: baseline.seen };
        }
        const exit = await first.process.kill();
        expect(exit.signal).toBe('SIGKILL');
        expect(midway.writing).toBe(true);
        // The client never got an answer: the connection died with the process.
        expect(await request).toBeInstanceOf(Error);
        expect(answered).toBe(false);

        if (db.config.kind === 'sqlite') {
          // Nobody has the file open now; the dead writer's WAL, uncommitted frames and
          // all, is still there, and opening the database again must recover from it.
          expect(statSync(`${db.config.path}-wal`).size).toBeGreaterThan(midway.baselineSeen);
        } else {
          // MariaDB rolls the dead connection's transaction back itself; wait until it has.
          const settle = await openWriteWatcher(db.config, COUNT_IMPORTED);
          await pollUntil(async () => ((await settle.progress()).writing ? undefined : true), {
            timeoutMs: 30_000,
            intervalMs: 20,
            what: 'the dead transaction to be rolled back',
          });
          await settle.close();
        }

        const keyring = loadKeyring(loadConfig({ STRONGROOM_DATA_DIR: dataDir }));
        const imported = await expectIntact(keyring, async (dataSource) => {
          if (kind === 'sqlite') {
            expect(await dataSource.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          }
          const count = await countRows(dataSource, COUNT_IMPORTED);
          // All or none. Killed before its commit it is none; only a commit landing in the
          // microseconds between the last look and the kill could make it all.
          expect([0, LINES]).toContain(count);
          expect(
            await countRows(
              dataSource,
              "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'secret.import'",
            ),
          ).toBe(count);
          return count;
        });
        if (db.config.kind === 'sqlite') expect(existsSync(`${db.config.path}-wal`)).toBe(false);

        // The same database, a new process: it serves, and the same import now goes through
        // (SKIP, as a client re-sending an import whose answer it lost should).
        const second = await startApi();
        const rerun = await second.gql(IMPORT_SECRETS, { i: { dotenv, onConflict: 'SKIP' } });
        expect(rerun.data?.importSecrets).toEqual({
          created: LINES - imported,
          updated: 0,
          skipped: imported,
        });
        second.process.child.kill('SIGTERM');
        expect(await second.process.exited).toEqual({ code: 0, signal: null });
        api = undefined;

        await expectIntact(keyring, async (dataSource) => {
          expect(await countRows(dataSource, COUNT_IMPORTED)).toBe(LINES);
          return LINES;
        });
      },
    );
  },
);
