import { pino } from 'pino';

/** A log destination whose lines reach the file descriptor once per event-loop turn. */
export interface TurnBatchedDestination {
  write(line: string): boolean;
  /** Writes whatever is buffered now, synchronously (on exit). */
  flush(): void;
}

/**
 * Writes log lines to `fd` in one write per event-loop turn rather than one per line:
 * the resolver logs a line per call and a busy turn carries many calls, so this saves
 * a system call per line. Lines wait only until the turn that wrote them ends (or
 * until `maxBufferedChars` characters are waiting), and `flush` writes them at once,
 * which the process does on `exit`; only a process killed outright (SIGKILL) loses
 * the lines of the turn it was in. Writes are synchronous, like those to the stderr this
 * replaces, and retried on EAGAIN when `fd` is a non-blocking pipe (pino's sonic-boom).
 */
export function createTurnBatchedDestination({
  fd,
  maxBufferedChars = 16 * 1024,
}: {
  fd: number;
  maxBufferedChars?: number;
}): TurnBatchedDestination {
  const sink = pino.destination({ dest: fd, sync: true });
  let lines: string[] = [];
  let buffered = 0;
  let flushScheduled = false;

  function flush(): void {
    if (lines.length === 0) return;
    const text = lines.length === 1 ? lines[0]! : lines.join('');
    lines = [];
    buffered = 0;
    sink.write(text);
  }

  return {
    write(line) {
      lines.push(line);
      buffered += line.length;
      if (buffered >= maxBufferedChars) flush();
      else if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(() => {
          flushScheduled = false;
          flush();
        });
      }
      return true;
    },
    flush,
  };
}
