import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTurnBatchedDestination } from '../../services/core/logging/turn-batched-destination.js';

const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('turn-batched log destination', () => {
  let dir: string;
  let path: string;
  let fd: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strongroom-log-'));
    path = join(dir, 'log');
    fd = openSync(path, 'w');
  });
  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  const written = () => readFileSync(path, 'utf8');

  it('writes the lines of a turn together, in order, when the turn ends', async () => {
    const destination = createTurnBatchedDestination({ fd });
    destination.write('one\n');
    destination.write('two\n');
    destination.write('three\n');
    expect(written()).toBe('');
    await endOfTurn();
    expect(written()).toBe('one\ntwo\nthree\n');
    destination.write('four\n');
    await endOfTurn();
    expect(written()).toBe('one\ntwo\nthree\nfour\n');
  });

  it('writes at once when flushed, or when the buffer is full', async () => {
    const destination = createTurnBatchedDestination({ fd, maxBufferedChars: 10 });
    destination.write('12345\n');
    destination.flush();
    expect(written()).toBe('12345\n');
    destination.write('abcdef\n');
    destination.write('ghijkl\n');
    expect(written()).toBe('12345\nabcdef\nghijkl\n');
    await endOfTurn();
    expect(written()).toBe('12345\nabcdef\nghijkl\n');
  });

  it('loses nothing when the process exits in the turn it logged', () => {
    // The CLI flushes on exit; a process that logs and exits at once must still write it.
    const script = `
      import { createTurnBatchedDestination } from ${JSON.stringify(join(process.cwd(), 'services/core/logging/turn-batched-destination.ts'))};
      const destination = createTurnBatchedDestination({ fd: 1 });
      process.on('exit', () => destination.flush());
      destination.write('last words\\n');
      process.exit(3);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(child.status).toBe(3);
    expect(child.stdout).toBe('last words\n');
  });
});
