import { Transform, type TransformCallback } from 'node:stream';
import { findMaskIntervals, maskBytes, unfinishedMatchStart, type Interval } from './mask-matcher.js';

/**
 * A Transform that masks `patterns` in a byte stream (a child process's stdout),
 * including matches split across chunks.
 *
 * It matches UTF-8 bytes rather than decoded text: a pattern that is valid UTF-8
 * can only match on character boundaries, a multi-byte character split across
 * chunks simply waits in the held-back tail, and output that is not text (binary,
 * another encoding) passes through byte for byte instead of being replaced by
 * U+FFFD as a decoder would.
 *
 * After each chunk it emits everything up to the earliest position where a
 * pattern could still be completed by the next chunk (at most the longest
 * pattern's length minus one bytes, and usually nothing); a masked run touching
 * that point is held back whole so that a secret printed right after it merges
 * into the same `***`. Output is therefore exactly what masking the whole stream
 * at once would give. Only pathological output (masked runs chained for more than
 * `holdLimit` bytes) is cut early, still fully masked. The rest is emitted at end.
 */
export function createMaskingTransform(patterns: readonly string[], holdLimit = 64 * 1024): Transform {
  const needles = patterns.map((p) => Buffer.from(p, 'utf8')).filter((b) => b.length > 0);
  const longest = needles.reduce((max, b) => Math.max(max, b.length), 0);
  const limit = Math.max(holdLimit, 2 * longest);
  let carry = Buffer.alloc(0);
  // Bytes at the start of `carry` that belong to a masked run already cut by a forced emit.
  let pending = 0;

  const intervalsOf = (bytes: Buffer): Interval[] =>
    findMaskIntervals(
      (needle: Buffer, from) => bytes.indexOf(needle, from),
      needles,
      pending > 0 ? [{ start: 0, end: pending }] : [],
    );

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (needles.length === 0) return callback(null, chunk);
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const intervals = intervalsOf(bytes);
      const unfinished = unfinishedMatchStart(bytes, needles);
      let cut = unfinished;
      const touching = intervals.find((iv) => iv.start < cut && iv.end >= cut);
      if (touching) cut = touching.start;
      let nextPending = 0;
      if (bytes.length - cut > limit) {
        // Cut at the unfinished match instead; a masked run crossing the cut stays masked next time.
        cut = unfinished;
        const crossing = intervals.find((iv) => iv.start < cut && iv.end > cut);
        nextPending = crossing ? crossing.end - cut : 0;
      }
      const out = maskBytes(bytes, intervals, cut);
      // Copy so the tail does not pin the whole (possibly large) chunk in memory.
      carry = Buffer.from(bytes.subarray(cut));
      pending = nextPending;
      callback(null, out.length > 0 ? out : undefined);
    },
    flush(callback: TransformCallback) {
      const out = maskBytes(carry, intervalsOf(carry));
      carry = Buffer.alloc(0);
      pending = 0;
      callback(null, out.length > 0 ? out : undefined);
    },
  });
}
