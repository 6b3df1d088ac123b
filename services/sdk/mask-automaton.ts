/**
 * An Aho-Corasick automaton over the UTF-8 bytes of every masked form, so that
 * finding all of them costs about the same per byte of output whether there is
 * one pattern or a hundred thousand (1,000 secrets with ~40 forms each). The
 * previous masker searched each pattern separately (`Buffer.indexOf` per
 * pattern): fast for a handful, linear in the number of patterns.
 *
 * Layout, chosen for memory at that scale: nodes are numbered breadth first, the
 * children of a node are consecutive with their bytes sorted, and every array is
 * typed (about 20 bytes per node). The first nodes — the root and the shallow
 * nodes where a scan spends nearly all its time, since log text seldom gets more
 * than a few bytes into any pattern — also get a full 256-entry transition row
 * with the failure links already followed (a DFA); deeper nodes look up their few
 * children and fall back along failure links, amortised O(1) per byte.
 */

/** Rows of the DFA part: 8,192 × 256 × 4 bytes = 8 MiB at most. */
const MAX_DENSE_ROWS = 8192;

/** The compiled automaton; immutable, shared by every stream of a masker. */
export interface MaskAutomaton {
  /** Number of trie nodes (1 for no patterns). */
  readonly nodeCount: number;
  /** Length in bytes of the longest pattern. */
  readonly longest: number;
  /** Bytes of typed arrays held. */
  readonly memoryBytes: number;
  /** Length of the longest prefix of a pattern that the text scanned so far ends with. */
  depthOf(state: number): number;
  /**
   * Feeds `bytes` from state `state` and returns the state after them. For every
   * position where a pattern ends, calls `onMatch(end, length)` with the end offset
   * within `bytes` (exclusive) and the length of the longest pattern ending there
   * (every shorter one ending there lies inside it).
   */
  scan(state: number, bytes: Uint8Array, onMatch: (end: number, length: number) => void): number;
}

/** The initial state: nothing scanned yet. */
export const START_STATE = 0;

/**
 * Compiles `patterns` (empty ones are ignored; duplicates are fine).
 * `maxDenseRows` exists for tests, to drive the sparse path with small inputs.
 */
export function compileMaskAutomaton(
  patterns: readonly Uint8Array[],
  { maxDenseRows = MAX_DENSE_ROWS }: { maxDenseRows?: number } = {},
): MaskAutomaton {
  const trie = buildTrie(patterns);
  const n = trie.count;
  const bfs = breadthFirst(trie);
  const { label, depth, childStart, childCount, parent } = bfs;

  const denseRows = Math.max(1, Math.min(n, maxDenseRows));
  const dense = new Int32Array(denseRows * 256);
  const fail = new Int32Array(n);
  const out = new Int32Array(n);

  const childOf = (node: number, byte: number): number => {
    let lo = childStart[node] as number;
    let hi = lo + (childCount[node] as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = label[mid] as number;
      if (at === byte) return mid;
      if (at < byte) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const step = (from: number, byte: number): number => {
    for (let node = from; ; node = fail[node] as number) {
      if (node < denseRows) return dense[(node << 8) | byte] as number;
      const child = childOf(node, byte);
      if (child !== -1) return child;
    }
  };

  // Root row: its children, everything else stays at the root (0).
  for (let c = childStart[0] as number, end = c + (childCount[0] as number); c < end; c++)
    dense[label[c] as number] = c;
  for (let node = 1; node < n; node++) {
    const up = parent[node] as number;
    const f = up === 0 ? 0 : step(fail[up] as number, label[node] as number);
    fail[node] = f;
    out[node] = bfs.terminal[node] ? (depth[node] as number) : (out[f] as number);
    if (node < denseRows) {
      // fail[node] < node, so its row is complete: inherit it, then overlay own children.
      dense.copyWithin(node << 8, f << 8, (f << 8) + 256);
      for (let c = childStart[node] as number, end = c + (childCount[node] as number); c < end; c++)
        dense[(node << 8) | (label[c] as number)] = c;
    }
  }

  // Now that every node's `out` is known, a dense entry becomes (next state << 1) |
  // (1 when a pattern ends there), so the scan's common case is a single load.
  for (let i = 0; i < dense.length; i++) {
    const next = dense[i] as number;
    dense[i] = (next << 1) | ((out[next] as number) !== 0 ? 1 : 0);
  }

  let longest = 0;
  for (let node = 0; node < n; node++) if ((depth[node] as number) > longest) longest = depth[node] as number;

  return {
    nodeCount: n,
    longest,
    memoryBytes:
      dense.byteLength +
      fail.byteLength +
      out.byteLength +
      label.byteLength +
      depth.byteLength +
      childStart.byteLength +
      childCount.byteLength,
    depthOf: (state) => depth[state] as number,
    scan(state, bytes, onMatch) {
      // Locals rather than closure slots: this loop is the masker's whole per-byte cost.
      const rows = dense;
      const lengths = out;
      const links = fail;
      const rowCount = denseRows;
      const n = bytes.length;
      let s = state;
      for (let i = 0; i < n; i++) {
        const byte = bytes[i] as number;
        if (s < rowCount) {
          // The common case: one load, which also says whether a pattern ends here.
          const entry = rows[(s << 8) | byte] as number;
          s = entry >> 1;
          if ((entry & 1) !== 0) onMatch(i + 1, lengths[s] as number);
          continue;
        }
        for (;;) {
          const child = childOf(s, byte);
          if (child !== -1) {
            s = child;
            break;
          }
          s = links[s] as number;
          if (s < rowCount) {
            s = (rows[(s << 8) | byte] as number) >> 1;
            break;
          }
        }
        const length = lengths[s] as number;
        if (length !== 0) onMatch(i + 1, length);
      }
      return s;
    },
  };
}

interface Trie {
  count: number;
  label: Uint8Array;
  depth: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  terminal: Uint8Array;
}

/**
 * The trie of `patterns`, built from them in sorted order: each pattern shares
 * its common prefix with the previous one, so the path to extend is known, and
 * children are appended in ascending byte order without any lookup.
 */
function buildTrie(patterns: readonly Uint8Array[]): Trie {
  const sorted = patterns
    .filter((p) => p.length > 0)
    .map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))
    .sort(Buffer.compare);
  const capacity = 1 + sorted.reduce((sum, p) => sum + p.length, 0);
  const label = new Uint8Array(capacity);
  const depth = new Int32Array(capacity);
  const firstChild = new Int32Array(capacity).fill(-1);
  const lastChild = new Int32Array(capacity).fill(-1);
  const nextSibling = new Int32Array(capacity).fill(-1);
  const terminal = new Uint8Array(capacity);
  let count = 1;
  const path: number[] = [0];
  let previous: Buffer = Buffer.alloc(0);
  for (const pattern of sorted) {
    let common = 0;
    while (common < previous.length && common < pattern.length && previous[common] === pattern[common])
      common++;
    for (let d = common; d < pattern.length; d++) {
      const up = path[d] as number;
      const node = count++;
      label[node] = pattern[d] as number;
      depth[node] = d + 1;
      if (lastChild[up] === -1) firstChild[up] = node;
      else nextSibling[lastChild[up] as number] = node;
      lastChild[up] = node;
      path[d + 1] = node;
    }
    terminal[path[pattern.length] as number] = 1;
    previous = pattern;
  }
  return { count, label, depth, firstChild, nextSibling, terminal };
}

/** The trie renumbered breadth first, children of a node consecutive and sorted. */
function breadthFirst(trie: Trie) {
  const n = trie.count;
  const order = new Int32Array(n); // new id -> old id
  const parent = new Int32Array(n);
  const childStart = new Int32Array(n);
  const childCount = new Uint16Array(n);
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    childStart[head] = tail;
    for (
      let c = trie.firstChild[order[head] as number] as number;
      c !== -1;
      c = trie.nextSibling[c] as number
    ) {
      order[tail] = c;
      parent[tail] = head;
      tail++;
    }
    childCount[head] = tail - (childStart[head] as number);
  }
  const label = new Uint8Array(n);
  const depth = new Int32Array(n);
  const terminal = new Uint8Array(n);
  for (let node = 0; node < n; node++) {
    const old = order[node] as number;
    label[node] = trie.label[old] as number;
    depth[node] = trie.depth[old] as number;
    terminal[node] = trie.terminal[old] as number;
  }
  return { label, depth, terminal, parent, childStart, childCount };
}
