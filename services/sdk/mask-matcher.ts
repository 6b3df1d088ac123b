/**
 * Pure helpers of the masker: collecting where patterns occur and turning the
 * hits into `***`, on byte buffers (streams) and on strings alike.
 */
import type { MaskAutomaton } from './mask-automaton.js';

/** The replacement for every run of masked text. */
export const MASK = '***';

/** A half-open range `[start, end)` to mask. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * Masked ranges in the order a scan finds them (by end), kept disjoint and
 * sorted: a hit that overlaps or touches the previous ranges absorbs them, so
 * two secrets printed back to back become one `***` and do not reveal where one
 * ends. A hit's end is never before an earlier hit's end, which is what makes
 * popping from the back enough.
 */
export class IntervalList {
  readonly items: Interval[] = [];

  add(start: number, end: number): void {
    let from = start;
    for (let last = this.items.at(-1); last && from <= last.end; last = this.items.at(-1)) {
      from = Math.min(from, last.start);
      this.items.pop();
    }
    this.items.push({ start: from, end });
  }
}

/** Every masked range of `bytes`, scanned from the automaton's start state. */
export function maskIntervalsOf(automaton: MaskAutomaton, bytes: Uint8Array): Interval[] {
  const list = new IntervalList();
  automaton.scan(0, bytes, (end, length) => list.add(end - length, end));
  return list.items;
}

const MASK_BYTES = Buffer.from(MASK);

/** `bytes[0, limit)` with every interval (clipped to `limit`) replaced by `***`. */
export function maskBytes(bytes: Buffer, intervals: readonly Interval[], limit = bytes.length): Buffer {
  if (intervals.length === 0) return limit === bytes.length ? bytes : bytes.subarray(0, limit);
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
 * `text` with the byte intervals (of its UTF-8 encoding) replaced by `***`,
 * sliced from the original string so that everything outside them, lone
 * surrogates included, is returned exactly as given. Patterns are valid UTF-8, so
 * their matches start and end on character boundaries.
 */
export function maskString(text: string, intervals: readonly Interval[]): string {
  if (intervals.length === 0) return text;
  const offsets = utf16OffsetsOf(
    text,
    intervals.flatMap(({ start, end }) => [start, end]),
  );
  let out = '';
  let at = 0;
  for (let i = 0; i < offsets.length; i += 2) {
    out += text.slice(at, offsets[i]) + MASK;
    at = offsets[i + 1] as number;
  }
  return out + text.slice(at);
}

/** The UTF-16 index of each UTF-8 byte offset (ascending) into `text`. */
function utf16OffsetsOf(text: string, byteOffsets: readonly number[]): number[] {
  const result: number[] = [];
  let bytes = 0;
  let index = 0;
  for (const target of byteOffsets) {
    while (bytes < target && index < text.length) {
      const code = text.codePointAt(index) as number;
      // A lone surrogate is encoded as U+FFFD (3 bytes), like Buffer.from does.
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      index += code >= 0x10000 ? 2 : 1;
    }
    result.push(index);
  }
  return result;
}
