import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { assembleRuntime, type Runtime } from '../../../services/app/runtime.js';
import { auditEventHash } from '../../../services/core/audit/audit-event.js';
import { loadConfig, type Config } from '../../../services/core/config/config.js';
import { openKeyring } from '../../../services/core/config/open-keyring.js';
import { createLogger } from '../../../services/core/logging/logger.js';
import { auditCommand } from '../../../services/cli/commands/audit.js';
import type { CommandContext } from '../../../services/cli/command.js';
import type { AuditEventRow } from '../../../services/storage/entities/audit-event-entity.js';
import { captureLogger } from '../../support/capture-logger.js';
import { openMigratedDataSource, type DatabaseKind, type TestDatabase } from '../../support/databases.js';
import { databaseUrlOf } from '../../faults/support/crash-database.js';

/**
 * A database with a runtime over it as a Strongroom process has one (the development
 * keyring of its own data dir, checkpoints copied to `checkpointDir`), and the
 * attacker's tools: plain SQL, and the project's public hash function.
 */
export async function openCheckpointEnv(kind: DatabaseKind, env: Record<string, string> = {}) {
  const { db, dataSource } = (await openMigratedDataSource(kind)) as {
    db: TestDatabase;
    dataSource: DataSource;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'strongroom-integrity-'));
  const checkpointDir = join(dataDir, 'checkpoints');
  const config: Config = loadConfig({
    NODE_ENV: 'development',
    STRONGROOM_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrlOf(db.config),
    STRONGROOM_AUDIT_CHECKPOINT_DIR: checkpointDir,
    ...env,
  });
  const { logger, logLines } = captureLogger('integrity');
  const keyring = await openKeyring(config);
  const runtime: Runtime = await assembleRuntime({
    config,
    logger,
    dataSource,
    keyring,
    close: () => keyring.close(),
  });

  /** `strongroom audit ARGS` in this process, on the same database and data dir. */
  function auditCli(args: string[], extra: Record<string, string> = {}, dir = dataDir) {
    return cli(auditCommand, args, extra, dir);
  }

  /** A `strongroom` command in this process, on the same database and (by default) data dir. */
  async function cli(
    command: (context: CommandContext) => Promise<number>,
    args: string[],
    extra: Record<string, string> = {},
    dir = dataDir,
  ) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await command({
      config: loadConfig({
        NODE_ENV: 'development',
        STRONGROOM_DATA_DIR: dir,
        DATABASE_URL: databaseUrlOf(db.config),
        ...extra,
      }),
      args,
      logger: createLogger({ level: 'silent', name: 'test' }),
      env: {},
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** One chain's events in order, as plain SQL reads them. */
  async function chainEvents(chainId: string): Promise<AuditEventRow[]> {
    const rows = await runtime.auditStore.transaction((tx) =>
      runtime.auditStore.listChainEvents(tx, chainId, 0, 100_000),
    );
    return rows;
  }

  /**
   * What a database writer with the source code does: recomputes every hash of a chain
   * from `fromSeq` on with the project's hash function, rewrites the rows and moves the
   * head, so that the chain is consistent again.
   */
  async function rehashChain(chainId: string, fromSeq: number): Promise<void> {
    const events = (await chainEvents(chainId)).sort((a, b) => Number(a.chainSeq) - Number(b.chainSeq));
    let prevHash = '';
    let seq = 0;
    for (const [index, event] of events.entries()) {
      const renumbered = index + 1;
      if (renumbered < fromSeq) {
        prevHash = event.hash;
        seq = renumbered;
        continue;
      }
      const { id, hash: _old, ...unsealed } = event;
      const rewritten = { ...unsealed, chainSeq: renumbered, prevHash };
      const hash = auditEventHash(rewritten);
      await dataSource.query('UPDATE audit_events SET chain_seq = ?, prev_hash = ?, hash = ? WHERE id = ?', [
        renumbered,
        prevHash,
        hash,
        id,
      ]);
      prevHash = hash;
      seq = renumbered;
    }
    await dataSource.query('UPDATE audit_chains SET last_seq = ?, last_hash = ? WHERE chain_id = ?', [
      seq,
      prevHash,
      chainId,
    ]);
  }

  return {
    kind,
    db,
    dataSource,
    dataDir,
    checkpointDir,
    config,
    runtime,
    logLines,
    auditCli,
    cli,
    chainEvents,
    rehashChain,
    async close() {
      await runtime.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type CheckpointEnv = Awaited<ReturnType<typeof openCheckpointEnv>>;
