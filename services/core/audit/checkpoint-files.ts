import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SignedCheckpoint } from './checkpoint-body.js';

const FILE_PATTERN = /^strongroom-checkpoints-\d{4}-\d{2}-\d{2}\.jsonl$/;

/** The day file a checkpoint goes to: one per UTC day, so shipped files stop changing. */
export const checkpointFileName = (at: Date): string =>
  `strongroom-checkpoints-${at.toISOString().slice(0, 10)}.jsonl`;

/**
 * Appends one checkpoint as a JSON line to its day file in `dir` and flushes it to disk
 * before returning. Processes on one machine may share `dir`: each line is one write
 * to a file opened for appending, so lines never interleave.
 */
export async function appendCheckpointFile(dir: string, checkpoint: SignedCheckpoint): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const path = join(dir, checkpointFileName(checkpoint.createdAt));
  const line = `${JSON.stringify({
    seq: checkpoint.seq,
    prevHash: checkpoint.prevHash,
    hash: checkpoint.hash,
    body: checkpoint.body,
    signature: checkpoint.signature,
    createdAt: checkpoint.createdAt.toISOString(),
  })}\n`;
  const file = await open(path, 'a', 0o640);
  try {
    await file.write(line);
    await file.datasync();
  } finally {
    await file.close();
  }
  return path;
}

/**
 * Every checkpoint in the day files of `dir` (an auditor's copy), by sequence number.
 * A line that is not a checkpoint is reported, not skipped: an edited file must not
 * verify by losing the line that was edited.
 */
export async function readCheckpointFiles(
  dir: string,
): Promise<{ checkpoints: SignedCheckpoint[]; problems: string[] }> {
  const names = (await readdir(dir)).filter((name) => FILE_PATTERN.test(name)).sort();
  const bySeq = new Map<number, SignedCheckpoint>();
  const problems: string[] = [];
  for (const name of names) {
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const checkpoint = parseLine(line);
      if (!checkpoint) {
        problems.push(`${name} line ${index + 1}: not a checkpoint`);
        return;
      }
      const seen = bySeq.get(checkpoint.seq);
      if (seen && seen.hash !== checkpoint.hash) {
        problems.push(`${name} line ${index + 1}: a second, different checkpoint ${checkpoint.seq}`);
        return;
      }
      bySeq.set(checkpoint.seq, checkpoint);
    });
  }
  return { checkpoints: [...bySeq.values()].sort((a, b) => a.seq - b.seq), problems };
}

function parseLine(line: string): SignedCheckpoint | null {
  try {
    const raw = JSON.parse(line) as Record<string, unknown>;
    const { seq, prevHash, hash, body, signature, createdAt } = raw;
    if (
      typeof seq !== 'number' ||
      typeof prevHash !== 'string' ||
      typeof hash !== 'string' ||
      typeof body !== 'string' ||
      typeof signature !== 'string' ||
      typeof createdAt !== 'string'
    ) {
      return null;
    }
    const at = new Date(createdAt);
    if (Number.isNaN(at.getTime())) return null;
    return { seq, prevHash, hash, body, signature, createdAt: at };
  } catch {
    return null;
  }
}
