import { once } from 'node:events';
import type { Config } from '../../core/config/config.js';
import { toAuditExportRecord } from '../../core/audit/audit-event-view.js';
import { openAuditLog } from '../../core/audit/audit-log.js';
import { pruneAuditLog } from '../../core/audit/audit-pruner.js';
import { verifyAuditLog } from '../../core/audit/audit-verifier.js';
import { DomainError } from '../../protocol/domain-error.js';
import type { Logger } from '../../core/logging/logger.js';
import { createAuditQueryStore } from '../../storage/audit-query-store.js';
import { createAuditStore } from '../../storage/audit-store.js';
import { createDataSource, runMigrations } from '../../storage/data-source.js';
import type { CommandContext } from '../command.js';
import { operatorName } from '../operator-name.js';

const USAGE = [
  'usage: strongroom audit verify [--json]',
  '       strongroom audit export [--since ISO_TIME] [--workspace W]   (JSON lines on stdout, oldest first)',
  '       strongroom audit prune [--days N]   (default STRONGROOM_AUDIT_RETENTION_DAYS)',
].join('\n');

/**
 * `strongroom audit verify | export | prune`: operator access to the audit log.
 * None of these needs the master keys, so they open storage alone, not the runtime.
 */
export async function auditCommand(context: CommandContext): Promise<number> {
  const [action, ...rest] = context.args;
  const flags = parseFlags(rest);
  if (typeof flags === 'string') return usageError(context, flags);
  if (action === 'verify') return verify(context, flags);
  if (action === 'export') return exportEvents(context, flags);
  if (action === 'prune') return prune(context, flags);
  return usageError(context, action ? `unknown audit command "${action}"` : 'missing audit command');
}

type Flags = Map<string, string | true>;
const VALUED = new Set(['--since', '--workspace', '--days']);
const SWITCHES = new Set(['--json']);

function parseFlags(args: string[]): Flags | string {
  const flags: Flags = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (SWITCHES.has(arg)) flags.set(arg, true);
    else if (VALUED.has(arg) && args[i + 1] !== undefined) flags.set(arg, args[++i]!);
    else return `unexpected argument "${arg}"`;
  }
  return flags;
}

function usageError({ err }: CommandContext, problem: string): number {
  err(`${problem}\n${USAGE}`);
  return 2;
}

/** Storage only; development applies pending migrations like every other command does. */
async function openAuditStorage(config: Config, logger: Logger) {
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  if (config.mode === 'development') {
    const ran = await runMigrations(dataSource);
    if (ran.length > 0) logger.info({ migrations: ran }, 'applied migrations');
  }
  return {
    auditStore: createAuditStore({ dataSource }),
    auditQueryStore: createAuditQueryStore({ dataSource }),
    close: () => dataSource.destroy(),
  };
}

async function verify(context: CommandContext, flags: Flags): Promise<number> {
  const storage = await openAuditStorage(context.config, context.logger);
  try {
    const result = await verifyAuditLog(storage.auditStore);
    if (flags.has('--json')) {
      context.out(JSON.stringify(result));
    } else {
      context.out(`ok: ${result.ok}`);
      context.out(`checked: ${result.checked}`);
      context.out(`firstBrokenId: ${result.firstBrokenId ?? 'none'}`);
      if (result.problem) context.out(`problem: ${result.problem}`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await storage.close();
  }
}

async function exportEvents(context: CommandContext, flags: Flags): Promise<number> {
  const sinceText = flags.get('--since');
  const since = typeof sinceText === 'string' ? new Date(sinceText) : undefined;
  if (since && Number.isNaN(since.getTime())) {
    return usageError(context, '--since must be an ISO 8601 time, such as 2026-01-31T00:00:00Z');
  }
  const workspace = flags.get('--workspace');
  const storage = await openAuditStorage(context.config, context.logger);
  try {
    let exported = 0;
    for (let afterId = 0; ;) {
      const page = await storage.auditQueryStore.listForExport({
        afterId,
        since,
        workspaceId: typeof workspace === 'string' ? workspace : undefined,
        limit: 1000,
      });
      if (page.length === 0) break;
      for (const row of page) context.out(JSON.stringify(toAuditExportRecord(row)));
      exported += page.length;
      afterId = Number(page.at(-1)!.id);
      // Streamed: a slow consumer (a SIEM shipper) holds the next page back instead of memory filling up.
      if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
    }
    context.logger.info({ exported }, 'audit export finished');
    return 0;
  } finally {
    await storage.close();
  }
}

async function prune(context: CommandContext, flags: Flags): Promise<number> {
  const daysText = flags.get('--days');
  const days = typeof daysText === 'string' ? Number(daysText) : context.config.auditRetentionDays;
  if (days === undefined) {
    return usageError(context, 'no retention set: pass --days N or set STRONGROOM_AUDIT_RETENTION_DAYS');
  }
  if (!Number.isInteger(days) || days < 1)
    return usageError(context, '--days must be a whole number of at least 1');
  const before = new Date(Date.now() - days * 86_400_000);
  const storage = await openAuditStorage(context.config, context.logger);
  try {
    const auditLog = await openAuditLog({ auditStore: storage.auditStore });
    const result = await pruneAuditLog({
      auditStore: storage.auditStore,
      auditLog,
      before,
      actorId: operatorName(),
    });
    context.out(
      `pruned ${result.deleted} audit event(s) older than ${before.toISOString()} from ${result.chainsPruned} chain(s)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'CONFLICT') {
      context.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await storage.close();
  }
}
