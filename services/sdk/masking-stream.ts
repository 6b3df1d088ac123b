import { Transform, type TransformCallback } from 'node:stream';
import { START_STATE, type MaskAutomaton } from './mask-automaton.js';
import { IntervalList, maskBytes } from './mask-matcher.js';

/**
 * A Transform that masks the automaton's patterns in a byte stream (a child
 * process's stdout), including matches split across chunks.
 *
 * It matches UTF-8 bytes rather than decoded text: a pattern that is valid UTF-8
 * can only match on character boundaries, a multi-byte character split across
 * chunks simply waits in the held-back tail, and output that is not text (binary,
 * another encoding) passes through byte for byte instead of being replaced by
 * U+FFFD as a decoder would.
 *
 * The automaton's state carries over from chunk to chunk, so each byte is scanned
 * once. After each chunk the stream emits everything before the point where a
 * pattern could still be completed by the next chunk — the state's depth, at most
 * the longest pattern's length minus one bytes, and usually nothing — and a masked
 * run touching that point is held back whole so that a secret printed right after
 * it merges into the same `***`. Output is therefore exactly what masking the whole
 * stream at once would give. Only pathological output (masked runs chained for more
 * than `holdLimit` bytes) is cut early, still fully masked. The rest is emitted at end.
 */
export function createMaskingTransform(automaton: MaskAutomaton, holdLimit = 64 * 1024): Transform {
  const limit = Math.max(holdLimit, 2 * automaton.longest);
  let state = START_STATE;
  let held: Buffer = Buffer.alloc(0);
  /** Absolute stream offset of `held[0]`. */
  let heldStart = 0;
  let intervals = new IntervalList();

  /** Emits `held` up to absolute offset `cut`, masked; keeps the rest and its intervals. */
  const emitUpTo = (cut: number): Buffer => {
    const relative = intervals.items.map(({ start, end }) => ({
      start: start - heldStart,
      end: end - heldStart,
    }));
    const out = maskBytes(held, relative, cut - heldStart);
    const kept = new IntervalList();
    for (const { start, end } of intervals.items)
      if (end > cut) kept.items.push({ start: Math.max(start, cut), end });
    intervals = kept;
    // Copy so the tail does not pin the whole (possibly large) chunk in memory.
    held = Buffer.from(held.subarray(cut - heldStart));
    heldStart = cut;
    return out;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (automaton.longest === 0) return callback(null, chunk);
      const base = heldStart + held.length;
      state = automaton.scan(state, chunk, (end, length) => intervals.add(base + end - length, base + end));
      held = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const end = heldStart + held.length;
      const unfinished = end - automaton.depthOf(state);
      let cut = unfinished;
      const touching = intervals.items.find((iv) => iv.end >= unfinished);
      if (touching) cut = Math.min(cut, touching.start);
      // Cut at the unfinished match instead; a masked run crossing it stays masked next time.
      if (end - cut > limit) cut = unfinished;
      const out = cut > heldStart ? emitUpTo(cut) : Buffer.alloc(0);
      callback(null, out.length > 0 ? out : undefined);
    },
    flush(callback: TransformCallback) {
      const out = emitUpTo(heldStart + held.length);
      callback(null, out.length > 0 ? out : undefined);
    },
  });
}
