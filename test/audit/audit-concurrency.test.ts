import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../services/core/audit/audit-verifier.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { DATABASE_KINDS, openMigratedDataSource, type DatabaseKind } from '../support/databases.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Thousands of events on MariaDB, the multi-replica database; fewer on SQLite (one
// host, one writer at a time), where two processes still interleave their commits.
const PER_PROCESS: Record<DatabaseKind, number> = { mariadb: 1500, sqlite: 500 };

interface Writer {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ chainId: string; appended: number; startedAt: number; finishedAt: number }>;
}

/** Starts one writer process on the database; it appends once told to go. */
function startWriter(database: unknown, count: number, label: string): Writer {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/audit/fixtures/append-events.ts',
      JSON.stringify(database),
      String(count),
      label,
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, STRONGROOM_LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Writer['done'] extends Promise<infer T> ? T : never>((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`writer ${label} exited ${code}: ${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
  return {
    ready: Promise.race([ready, done.then(() => undefined)]),
    go: () => child.stdin.write('go\n'),
    done,
  };
}

const handles: Array<Awaited<ReturnType<typeof openMigratedDataSource>>> = [];
afterAll(() => Promise.all(handles.map((h) => h.close())));

// Both databases at once: the cost here is starting processes, not writing.
describe.concurrent('two writer processes on one database', () => {
  it.each(DATABASE_KINDS)(
    '%s: thousands of events appended concurrently verify, also while being written',
    async (kind) => {
      const handle = await openMigratedDataSource(kind);
      handles.push(handle);
      const perProcess = PER_PROCESS[kind];
      const auditStore = createAuditStore(handle);
      const writers = [
        startWriter(handle.db.config, perProcess, 'one'),
        startWriter(handle.db.config, perProcess, 'two'),
      ];
      await Promise.all(writers.map((w) => w.ready));
      for (const w of writers) w.go();

      // Verification reads one snapshot, so a log being written is never reported broken.
      let finished = false;
      const all = Promise.all(writers.map((w) => w.done)).finally(() => (finished = true));
      const midway: Array<{ ok: boolean; checked: number }> = [];
      while (!finished) {
        midway.push(await verifyAuditLog(auditStore));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const [one, two] = await all;

      expect(midway.every((r) => r.ok)).toBe(true);
      expect(midway.some((r) => r.checked > 0 && r.checked < 2 * perProcess)).toBe(true);
      // The two processes really overlapped.
      expect(one!.startedAt).toBeLessThan(two!.finishedAt);
      expect(two!.startedAt).toBeLessThan(one!.finishedAt);
      expect(one!.chainId).not.toBe(two!.chainId);
      expect(await verifyAuditLog(auditStore)).toMatchObject({
        ok: true,
        checked: 2 * perProcess,
        firstBrokenId: null,
        problem: null,
      });
    },
    90_000,
  );
});
