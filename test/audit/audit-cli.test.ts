import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../services/cli/commands/audit.js';
import { createLogger } from '../../services/core/logging/logger.js';
import { auditEventHash, type AuditEventInput } from '../../services/core/audit/audit-event.js';
import { openAuditLog } from '../../services/core/audit/audit-log.js';
import { loadConfig } from '../../services/core/config/config.js';
import { createAuditStore } from '../../services/storage/audit-store.js';
import { createDataSource, runMigrations } from '../../services/storage/data-source.js';
import { AuditEventEntity } from '../../services/storage/entities/audit-event-entity.js';
import { runCli } from '../support/cli.js';
import { resolveEvent } from './support.js';

// Each spawn loads the whole CLI through tsx; a busy machine makes that slow.
const SPAWN_TIMEOUT = 90_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh SQLite data dir whose log holds `events` (written by two chains), then `tamper` applied by SQL. */
async function seededDataDir(
  events: AuditEventInput[],
  tamper?: (ds: DataSource, ids: number[]) => Promise<unknown>,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-audit-cli-'));
  dirs.push(dir);
  const dataSource = createDataSource(loadConfig({ STRONGROOM_DATA_DIR: dir }).database);
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const auditStore = createAuditStore({ dataSource });
    const logs = [await openAuditLog({ auditStore }), await openAuditLog({ auditStore })];
    for (const [i, event] of events.entries()) await logs[i % 2]!.appendCommitted([event]);
    const ids = (
      (await dataSource.query('SELECT id FROM audit_events ORDER BY id')) as Array<{ id: number }>
    ).map((r) => Number(r.id));
    await tamper?.(dataSource, ids);
  } finally {
    await dataSource.destroy();
  }
  return dir;
}

/** Runs `strongroom ARGS` against a data dir; resolves with the exit code instead of throwing. */
async function strongroom(dir: string, args: string[], env: Record<string, string> = {}) {
  const fullEnv = {
    STRONGROOM_DATA_DIR: dir,
    STRONGROOM_LOG_LEVEL: 'silent',
    NODE_ENV: 'development',
    DATABASE_URL: undefined,
    STRONGROOM_AUDIT_RETENTION_DAYS: undefined,
    ...env,
  };
  return runCli(args, fullEnv).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

/** Runs `strongroom audit ARGS` in this process (argument handling needs no spawn). */
async function inProcess(dir: string, args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditCommand({
    config: loadConfig({ STRONGROOM_DATA_DIR: dir, NODE_ENV: 'development', ...env }),
    args,
    logger: createLogger({ level: 'silent', name: 'test' }),
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tenEvents = Array.from({ length: 10 }, (_, i) => resolveEvent(`e${i}`, { secretName: `S_${i}` }));

const tamperings: Array<[string, (ds: DataSource, ids: number[]) => Promise<unknown>]> = [
  [
    'an edited field',
    (ds, ids) => ds.query("UPDATE audit_events SET secret_name = 'OTHER' WHERE id = ?", [ids[4]]),
  ],
  ['a deleted row', (ds, ids) => ds.query('DELETE FROM audit_events WHERE id = ?', [ids[4]])],
  [
    'an inserted row, hashed and linked like a real one',
    async (ds) => {
      // A forger who knows the hash scheme: the row links and hashes correctly; only the chain head disagrees.
      const [last] = await ds.manager.find(AuditEventEntity, { order: { id: 'DESC' }, take: 1 });
      const { id: _id, hash: _hash, ...rest } = last!;
      const unsealed = {
        ...rest,
        chainSeq: Number(last!.chainSeq) + 1,
        prevHash: last!.hash,
        secretName: 'FORGED',
      };
      await ds.manager.insert(AuditEventEntity, { ...unsealed, hash: auditEventHash(unsealed) });
    },
  ],
  [
    'two rows reordered',
    async (ds, ids) => {
      // ids[2] and ids[4] belong to the same chain (events alternate between two).
      await ds.query('UPDATE audit_events SET id = -1 WHERE id = ?', [ids[2]]);
      await ds.query('UPDATE audit_events SET id = ? WHERE id = ?', [ids[2], ids[4]]);
      await ds.query('UPDATE audit_events SET id = ? WHERE id = -1', [ids[4]]);
    },
  ],
];

describe.concurrent('strongroom audit (end to end, SQLite data dirs)', () => {
  it(
    'verify reports ok and the count, and exits 0 on an untouched log',
    async () => {
      const dir = await seededDataDir(tenEvents);
      const result = await strongroom(dir, ['audit', 'verify']);
      expect(result).toMatchObject({
        code: 0,
        stdout: 'ok: true\nchecked: 10\ncheckpoint: none\nfirstBrokenId: none\n',
      });
    },
    SPAWN_TIMEOUT,
  );

  it.each(tamperings)(
    'verify exits 1 and names the first broken event after %s',
    async (_label, tamper) => {
      const dir = await seededDataDir(tenEvents, tamper);
      const result = await strongroom(dir, ['audit', 'verify', '--json']);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as {
        ok: boolean;
        firstBrokenId: string | null;
        problem: string;
      };
      expect(report.ok).toBe(false);
      expect(report.firstBrokenId).toMatch(/^\d+$/);
      expect(report.problem).toBeTruthy();
    },
    SPAWN_TIMEOUT,
  );

  it(
    'export writes JSON lines, oldest first, filtered by --since and --workspace',
    async () => {
      const at = (day: number) => new Date(Date.UTC(2026, 2, day, 8));
      const dir = await seededDataDir([
        resolveEvent('x1', { workspaceId: 'ws-x', occurredAt: at(1) }),
        resolveEvent('y1', { workspaceId: 'ws-y', occurredAt: at(2) }),
        resolveEvent('x2', {
          workspaceId: 'ws-x',
          occurredAt: at(3),
          reason: 'NOT_FOUND',
          outcome: 'NOT_FOUND',
        }),
        resolveEvent('y2', { workspaceId: 'ws-y', occurredAt: at(4) }),
        resolveEvent('x3', { workspaceId: 'ws-x', occurredAt: at(5) }),
      ]);
      const [since, both] = await Promise.all([
        strongroom(dir, ['audit', 'export', '--since', at(3).toISOString()]),
        strongroom(dir, ['audit', 'export', '--since', '2026-03-02T09:00:00Z', '--workspace', 'ws-x']),
      ]);
      const parse = (stdout: string) =>
        stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(parse(since.stdout).map((e) => e.requestId)).toEqual(['x2', 'y2', 'x3']);
      expect(parse(both.stdout).map((e) => e.requestId)).toEqual(['x2', 'x3']);
      expect(parse(both.stdout)[0]).toEqual({
        id: expect.stringMatching(/^\d+$/),
        occurredAt: at(3).toISOString(),
        action: 'secret.resolve',
        outcome: 'NOT_FOUND',
        actorType: 'runner',
        actorId: 'spiffe://strongroom/runner/a',
        workspaceId: 'ws-x',
        secretId: null,
        secretName: 'S',
        scope: null,
        version: 1,
        workflowId: null,
        runId: null,
        trigger: null,
        runner: null,
        requestId: 'x2',
        sourceAddress: null,
        principal: null,
        triggeredBy: null,
        workflowOwner: null,
        stepId: null,
        grantId: null,
        occurrences: 1,
        reason: 'NOT_FOUND',
        chainId: expect.any(String),
        chainSeq: 2,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    },
    SPAWN_TIMEOUT,
  );

  it(
    'prune removes what retention allows, and the log still verifies',
    async () => {
      const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
      const dir = await seededDataDir([
        resolveEvent('old1', { occurredAt: daysAgo(50) }),
        resolveEvent('old2', { occurredAt: daysAgo(45) }),
        resolveEvent('old3', { occurredAt: daysAgo(40) }),
        resolveEvent('new1', { occurredAt: daysAgo(2) }),
        resolveEvent('new2', { occurredAt: daysAgo(1) }),
      ]);
      const pruned = await inProcess(dir, ['prune'], { STRONGROOM_AUDIT_RETENTION_DAYS: '30' });
      expect(pruned).toMatchObject({ code: 0 });
      expect(pruned.out).toMatch(
        /^pruned 3 audit event\(s\) older than .* from 2 chain\(s\), and 0 checkpoint\(s\) before them$/,
      );
      const verified = await strongroom(dir, ['audit', 'verify']);
      // Two kept events plus the record of the prune itself, under the checkpoint the prune signed.
      expect(verified).toMatchObject({ code: 0 });
      expect(verified.stdout).toMatch(
        /^ok: true\nchecked: 3\ncheckpoint: \d+ at \S+\nfirstBrokenId: none\n$/,
      );
      expect((await inProcess(dir, ['export'])).out).not.toMatch(/old\d/);
    },
    SPAWN_TIMEOUT,
  );
});

describe('strongroom audit arguments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-audit-args-'));
  dirs.push(dir);

  it.each([
    [[], /missing audit command/],
    [['shred'], /unknown audit command "shred"/],
    [['verify', '--loud'], /unexpected argument "--loud"/],
    [['export', '--since'], /unexpected argument "--since"/],
    [['export', '--since', 'yesterday'], /--since must be an ISO 8601 time/],
    [['prune'], /pass --days N or set STRONGROOM_AUDIT_RETENTION_DAYS/],
    [['prune', '--days', '0'], /--days must be a whole number of at least 1/],
    [['prune', '--days', '1.5'], /--days must be a whole number of at least 1/],
  ])('refuses %j with exit code 2 and a usage line', async (args, message) => {
    const result = await inProcess(dir, args);
    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/usage: strongroom audit verify/);
  });

  it('--days overrides STRONGROOM_AUDIT_RETENTION_DAYS', async () => {
    const result = await inProcess(dir, ['prune', '--days', '7'], { STRONGROOM_AUDIT_RETENTION_DAYS: '30' });
    expect(result.code).toBe(0);
    const cutoff = new Date(result.out.match(/older than (\S+)/)![1]!).getTime();
    expect(Math.abs(cutoff - (Date.now() - 7 * 86_400_000))).toBeLessThan(60_000);
  });
});
