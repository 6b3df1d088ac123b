import { DomainError } from '../../protocol/domain-error.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { CheckpointReason, SignedCheckpoint } from './checkpoint-body.js';
import type { CheckpointWriter, WriteOptions } from './checkpoint-writer.js';

/**
 * When a process signs checkpoints (SPEC §8.1): every `intervalMs` while it serves
 * (`start`), when asked (`strongroom audit checkpoint`, a prune) and at shutdown
 * (`close`). Each attempt is logged and counted; a refusal (the log does not continue
 * the newest checkpoint) is an error an operator must look at, and is never retried
 * into a signature.
 */
export function createCheckpointSchedule({
  writer,
  intervalMs,
  logger,
  metrics,
}: {
  writer: CheckpointWriter;
  intervalMs: number;
  logger: Logger;
  metrics: Pick<Metrics, 'auditCheckpointsTotal' | 'auditCheckpointDuration'>;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  /** One attempt, after any attempt still running: checkpoints are written one at a time per process. */
  function write(reason: CheckpointReason, options?: WriteOptions): Promise<SignedCheckpoint | null> {
    const attempt = running.then(async () => {
      const stopTimer = metrics.auditCheckpointDuration.startTimer();
      try {
        const written = await writer.write(reason, options);
        metrics.auditCheckpointsTotal.inc({ outcome: written ? 'written' : 'unchanged' });
        if (written) logger.debug({ seq: written.seq, reason }, 'audit checkpoint written');
        return written;
      } catch (error) {
        if (error instanceof DomainError && error.code === 'DATA_LOSS') {
          metrics.auditCheckpointsTotal.inc({ outcome: 'refused' });
          logger.error(
            { check: error.details?.check, reason },
            `${error.message} Run \`strongroom audit verify\`.`,
          );
        } else {
          metrics.auditCheckpointsTotal.inc({ outcome: 'failed' });
          logger.error({ err: error, reason }, 'audit checkpoint failed');
        }
        throw error;
      } finally {
        stopTimer();
      }
    });
    running = attempt.catch(() => undefined);
    return attempt;
  }

  return {
    write,
    /** Signs a checkpoint every interval until `close`; failures are logged and counted, never thrown. */
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        write('periodic').catch(() => undefined);
      }, intervalMs);
      timer.unref();
    },
    /** Stops the timer and signs the shutdown checkpoint (best effort: a failure is logged, not thrown). */
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await write('shutdown').catch(() => undefined);
    },
  };
}

export type CheckpointSchedule = ReturnType<typeof createCheckpointSchedule>;
