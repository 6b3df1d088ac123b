/**
 * Pure helpers of the masker: where patterns occur and how the hits become `***`.
 * They work on strings (`mask`) and on byte buffers (streams) alike.
 */

/** The replacement for every run of masked text. */
export const MASK = '***';

/** A half-open range `[start, end)` to mask. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * Every occurrence of every pattern, overlapping ones included, merged into
 * disjoint intervals sorted by start. Adjacent hits merge too, so two secrets
 * printed back to back become one `***` and do not reveal where one ends.
 * `extra` intervals (carried over from an earlier stream chunk) join the merge.
 */
export function findMaskIntervals<P extends { length: number }>(
  indexOf: (pattern: P, from: number) => number,
  patterns: readonly P[],
  extra: readonly Interval[] = [],
): Interval[] {
  const hits: Interval[] = [...extra];
  for (const pattern of patterns) {
    // Step by one, not by the pattern's length: a periodic value ("abab" in
    // "ababab") overlaps itself, and the skipped occurrence would leave a tail.
    for (let at = indexOf(pattern, 0); at !== -1; at = indexOf(pattern, at + 1)) {
      hits.push({ start: at, end: at + pattern.length });
    }
  }
  hits.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const hit of hits) {
    const last = merged[merged.length - 1];
    if (last && hit.start <= last.end) last.end = Math.max(last.end, hit.end);
    else merged.push({ ...hit });
  }
  return merged;
}

/** `text` with every interval replaced by `***`. */
export function maskString(text: string, intervals: readonly Interval[]): string {
  let out = '';
  let at = 0;
  for (const { start, end } of intervals) {
    out += text.slice(at, start) + MASK;
    at = end;
  }
  return out + text.slice(at);
}

const MASK_BYTES = Buffer.from(MASK);

/** `bytes[0, limit)` with every interval (clipped to `limit`) replaced by `***`. */
export function maskBytes(bytes: Buffer, intervals: readonly Interval[], limit = bytes.length): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const { start, end } of intervals) {
    if (start >= limit) break;
    parts.push(bytes.subarray(at, start), MASK_BYTES);
    at = Math.min(end, limit);
  }
  parts.push(bytes.subarray(at, limit));
  return Buffer.concat(parts);
}

/**
 * Where the earliest possible unfinished match starts: the first position whose
 * remaining bytes are a proper prefix of some pattern. A stream must hold back
 * everything from there, since the next chunk may complete the secret. Returns
 * `bytes.length` when no pattern can be completed by more input.
 */
export function unfinishedMatchStart(bytes: Buffer, patterns: readonly Buffer[]): number {
  const n = bytes.length;
  let earliest = n;
  for (const pattern of patterns) {
    const first = pattern[0] as number;
    for (let at = bytes.indexOf(first, Math.max(0, n - pattern.length + 1)); at !== -1 && at < earliest;) {
      if (bytes.compare(pattern, 0, n - at, at, n) === 0) {
        earliest = at;
        break;
      }
      at = bytes.indexOf(first, at + 1);
    }
  }
  return earliest;
}
