import { randomBytes, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Transform } from 'node:stream';
import { compileMaskAutomaton } from '../services/sdk/mask-automaton.js';
import { DEFAULT_MIN_MASK_LENGTH, deriveMaskPatterns } from '../services/sdk/mask-patterns.js';
import { createSecretMasker } from '../services/sdk/secret-masker.js';
import { figure, type Figure } from './support/report.js';

const SECRET_COUNTS = [1, 100, 1_000];
const INDEXOF_SECRET_COUNTS = [1, 10];
const LOG_BYTES = 4 * 1024 * 1024;
/** A pipe hands a reader at most 64 KiB at a time. */
const CHUNK_BYTES = 64 * 1024;
/** One line in this many carries a secret, in one of its forms. */
const SECRET_EVERY_LINES = 50;
// Configurations take turns in slices this long, so background load hits all alike.
const SLICE_SECONDS = 0.5;

interface MaskerRun {
  secrets: number;
  patterns: number;
  automatonMiB: number;
  compileMs: number;
  mbPerSecond: number;
}

/**
 * Masker throughput: 4 MiB of log lines (one in 50 carrying a secret as itself,
 * base64, form- or JSON-encoded) through `createMaskingStream()` in 64 KiB chunks,
 * for 1, 100 and 1,000 random 20-character printable secrets. The floor is how
 * the previous masker searched: native `Buffer.indexOf` once per pattern over the
 * same chunks, for the one-secret set of patterns (it grows linearly from there:
 * 100 secrets have ~120× the patterns). All configurations take turns in short
 * slices for `seconds` each, so background load hits them alike.
 */
export async function benchMasker({
  seconds,
}: {
  seconds: number;
}): Promise<{ figures: Figure[]; raw: { masker: MaskerRun[]; indexOf: Record<number, number> } }> {
  const allValues = Array.from({ length: Math.max(...SECRET_COUNTS) }, () => randomPassword(20));
  const patternsFor = (values: readonly string[]) =>
    deriveMaskPatterns(values, { minLength: DEFAULT_MIN_MASK_LENGTH, onWarning: () => {} });

  const maskers = SECRET_COUNTS.map((count) => {
    const values = allValues.slice(0, count);
    const chunks = chunked(logText(values));
    const t0 = performance.now();
    const masker = createSecretMasker(values);
    const compileMs = performance.now() - t0;
    // The same automaton the masker built, compiled again to report its size.
    const { memoryBytes } = compileMaskAutomaton(patternsFor(values).map((p) => Buffer.from(p)));
    return {
      count,
      patterns: masker.patternCount,
      compileMs,
      memoryBytes,
      run: () => pump(masker.createMaskingStream(), chunks),
    };
  });
  const searches = INDEXOF_SECRET_COUNTS.map((count) => {
    const values = allValues.slice(0, count);
    const chunks = chunked(logText(values));
    const needles = patternsFor(values).map((p) => Buffer.from(p));
    return { count, run: async () => indexOfEveryPattern(chunks, needles) };
  });

  const measure = await takeTurns(
    [
      ...maskers.map((m) => ({ name: `masker ${m.count}`, run: m.run })),
      ...searches.map((s) => ({ name: `indexOf ${s.count}`, run: s.run })),
    ],
    seconds,
  );
  const runs: MaskerRun[] = maskers.map((m) => ({
    secrets: m.count,
    patterns: m.patterns,
    automatonMiB: Number((m.memoryBytes / 1024 ** 2).toFixed(1)),
    compileMs: Math.round(m.compileMs),
    mbPerSecond: measure(`masker ${m.count}`),
  }));
  const floor = { name: 'indexOf per pattern, 1 secret', value: measure('indexOf 1') };
  const one = runs[0]!;
  const most = runs.at(-1)!;
  return {
    figures: [
      ...runs.map((run) =>
        figure({
          figure: `mask stream, ${run.secrets} secret${run.secrets === 1 ? '' : 's'}`,
          unit: 'MB/s',
          value: run.mbPerSecond,
          floor,
          note: `${run.patterns} patterns, automaton ${run.automatonMiB} MiB, compiled in ${run.compileMs} ms`,
        }),
      ),
      ...searches.slice(1).map((search) =>
        figure({
          figure: `indexOf per pattern, ${search.count} secrets`,
          unit: 'MB/s',
          value: measure(`indexOf ${search.count}`),
          floor,
          note: 'the previous masker: linear in the number of patterns',
        }),
      ),
      figure(
        {
          figure: `mask stream ${one.secrets}→${most.secrets} secrets`,
          unit: 'MB/s',
          value: most.mbPerSecond,
          floor: { name: `${one.secrets} secret`, value: one.mbPerSecond },
          target: '≥ 0.5× (flat in the number of forms)',
        },
        ({ ratio }) => (ratio ?? 0) >= 0.5,
      ),
    ],
    raw: {
      masker: runs,
      indexOf: Object.fromEntries(searches.map((s) => [s.count, measure(`indexOf ${s.count}`)])),
    },
  };
}

/**
 * Runs each job in turn for SLICE_SECONDS at a time until each has had `seconds`
 * (after one warm-up run each); returns each job's MB/s.
 */
async function takeTurns(
  jobs: ReadonlyArray<{ name: string; run: () => Promise<number> }>,
  seconds: number,
): Promise<(name: string) => number> {
  const totals = new Map(jobs.map((job) => [job.name, { bytes: 0, seconds: 0 }]));
  for (const job of jobs) await job.run();
  const slices = Math.max(1, Math.round(seconds / SLICE_SECONDS));
  for (let slice = 0; slice < slices; slice++) {
    for (const job of jobs) {
      const total = totals.get(job.name)!;
      const t0 = performance.now();
      do total.bytes += await job.run();
      while (performance.now() - t0 < SLICE_SECONDS * 1000);
      total.seconds += (performance.now() - t0) / 1000;
    }
  }
  return (name) => {
    const total = totals.get(name)!;
    return total.bytes / 1e6 / total.seconds;
  };
}

/** Writes every chunk into `stream` and reads everything out; returns the bytes written. */
async function pump(stream: Transform, chunks: readonly Buffer[]): Promise<number> {
  let written = 0;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', () => {});
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  for (const chunk of chunks) {
    written += chunk.length;
    stream.write(chunk);
  }
  stream.end();
  await done;
  return written;
}

/** The previous masker's search: every occurrence of every pattern, one `indexOf` pass each. */
function indexOfEveryPattern(chunks: readonly Buffer[], needles: readonly Buffer[]): number {
  let bytes = 0;
  let hits = 0;
  for (const chunk of chunks) {
    bytes += chunk.length;
    for (const needle of needles)
      for (let at = chunk.indexOf(needle); at !== -1; at = chunk.indexOf(needle, at + 1)) hits++;
  }
  if (hits < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
  return bytes;
}

function randomPassword(length: number): string {
  let out = '';
  while (out.length < length) out += String.fromCharCode(33 + randomInt(94));
  return out;
}

/** Log lines of a busy HTTP service; one in SECRET_EVERY_LINES carries one of `values` in some form. */
function logText(values: readonly string[]): Buffer {
  const forms = [
    (v: string) => v,
    (v: string) => Buffer.from(`svc:${v}`).toString('base64'),
    (v: string) => new URLSearchParams({ client_secret: v }).toString(),
    (v: string) => JSON.stringify({ token: v }),
  ];
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < LOG_BYTES; i++) {
    const id = randomBytes(8).toString('hex');
    let line = `2024-05-01T12:00:${String(i % 60).padStart(2, '0')}.123Z INFO request id=${id} method=GET path=/v1/items?page=${i % 97} status=200 took=${i % 300}ms`;
    if (i % SECRET_EVERY_LINES === 0) line += ` auth=${forms[i % forms.length]!(values[i % values.length]!)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function chunked(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) chunks.push(bytes.subarray(at, at + CHUNK_BYTES));
  return chunks;
}
