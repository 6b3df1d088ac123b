import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logDestinationFor } from '../../services/cli/log-destination.js';
import { createLogger } from '../../services/core/logging/logger.js';

describe('where the CLI writes its log lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strongroom-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Logs one line through the destination chosen for `options` and returns what reached the file. */
  async function logOnce(options: {
    mode: 'development' | 'production';
    terminal: boolean;
  }): Promise<string> {
    const path = join(dir, `${options.mode}-${options.terminal}.log`);
    const fd = openSync(path, 'w');
    try {
      const destination = await logDestinationFor({ ...options, fd });
      const logger = createLogger({
        level: 'info',
        name: 'strongroom-test',
        destination: destination.stream,
      });
      logger.info({ value: 'sk_live_never_logged', path: '/data' }, 'generated a keyring');
      destination.flush();
      // pino-pretty formats in a stream transform, a turn after the write.
      await new Promise((resolve) => setImmediate(resolve));
      return readFileSync(path, 'utf8');
    } finally {
      closeSync(fd);
    }
  }

  it('writes readable, redacted lines for a person running development on a terminal', async () => {
    const text = await logOnce({ mode: 'development', terminal: true });
    expect(text).toMatch(/INFO.*generated a keyring/);
    expect(() => JSON.parse(text.split('\n')[0]!)).toThrow();
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('sk_live_never_logged');
  });

  it.each([
    { mode: 'development' as const, terminal: false },
    { mode: 'production' as const, terminal: true },
    { mode: 'production' as const, terminal: false },
  ])('writes JSON lines everywhere else (%o)', async (options) => {
    const line = JSON.parse((await logOnce(options)).trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'generated a keyring', value: '[redacted]', path: '/data' });
  });
});
