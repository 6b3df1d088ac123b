import { once } from 'node:events';
import { toAuditExportRecord } from '../../core/audit/audit-event-view.js';
import { pruneAuditLog } from '../../core/audit/audit-pruner.js';
import { DomainError } from '../../protocol/domain-error.js';
import { openRuntime } from '../../app/runtime.js';
import { checkpointCommand, publicKeyCommand } from './audit-checkpoint.js';
import { verifyAuditCommand } from './audit-verify.js';
import { openAuditStorage, type Flags } from './audit-storage.js';
import type { CommandContext } from '../command.js';
import { operatorName } from '../operator-name.js';

const USAGE = [
  'usage: strongroom audit verify [--json] [--max-checkpoint-age DURATION] [--checkpoints DIR] [--public-key KEY_OR_FILE]',
  '       strongroom audit checkpoint   (signs one now)',
  '       strongroom audit public-key   (prints the key checkpoints verify with)',
  '       strongroom audit export [--since ISO_TIME] [--workspace W]   (JSON lines on stdout, oldest first)',
  '       strongroom audit prune [--days N]   (default STRONGROOM_AUDIT_RETENTION_DAYS)',
  'DURATION: seconds, or a number with s, m, h or d (10m, 36h)',
].join('\n');

/**
 * `strongroom audit verify | checkpoint | public-key | export | prune`: operator access
 * to the audit log. Export opens storage alone; verify also needs the checkpoint key's
 * public half (from the keyring, or `--public-key` on an auditor's machine); checkpoint,
 * public-key and prune need the keys, so they open the runtime.
 */
export async function auditCommand(context: CommandContext): Promise<number> {
  const [action, ...rest] = context.args;
  const flags = parseFlags(rest);
  if (typeof flags === 'string') return usageError(context, flags);
  if (action === 'verify') return verifyAuditCommand(context, flags, usageError);
  if (action === 'checkpoint') return checkpointCommand(context);
  if (action === 'public-key') return publicKeyCommand(context);
  if (action === 'export') return exportEvents(context, flags);
  if (action === 'prune') return prune(context, flags);
  return usageError(context, action ? `unknown audit command "${action}"` : 'missing audit command');
}

const VALUED = new Set([
  '--since',
  '--workspace',
  '--days',
  '--max-checkpoint-age',
  '--checkpoints',
  '--public-key',
]);
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
  // The runtime: a prune is signed (SPEC §8.1), so it needs the keys.
  const runtime = await openRuntime(context.config, context.logger);
  try {
    const result = await pruneAuditLog({
      auditStore: runtime.auditStore,
      auditLog: runtime.auditLog,
      checkpoints: runtime.checkpoints,
      checkpointStore: runtime.checkpointStore,
      before,
      actorId: operatorName(),
    });
    context.out(
      `pruned ${result.deleted} audit event(s) older than ${before.toISOString()} from ${result.chainsPruned} chain(s), ` +
        `and ${result.checkpointsDeleted} checkpoint(s) before them`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'CONFLICT' || error.code === 'DATA_LOSS')) {
      context.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await runtime.close();
  }
}
