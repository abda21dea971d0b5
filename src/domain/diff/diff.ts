// Differences between two responses, for reading them side by side. Word-level by default: the texts are cut
// into words, runs of whitespace and single other characters (CJK ideographs and kana one by one, as they
// are written without spaces), and Myers' O((N+M)D) algorithm finds a shortest edit script over those tokens.
//
// Bounded: the common prefix and suffix are cut first (cheap, and usually most of two similar answers);
// then Myers runs under a work budget and an edit-distance cap (its trace needs about D² integers). When
// the word diff does not fit, the same is tried over lines; when that does not fit either, the middle is
// shown as one removal and one addition. The result says which granularity was used and why.

export type DiffKind = 'same' | 'added' | 'removed';

export interface DiffSegment {
  kind: DiffKind;
  text: string;
}

export type DiffGranularity = 'word' | 'line' | 'coarse';

export interface DiffResult {
  /** In reading order; within a change the removed text comes before the added. Same + removed = a; same + added = b. */
  segments: DiffSegment[];
  granularity: DiffGranularity;
  /** Why the diff is not word-level, in words for the reader; absent for a word diff. */
  note?: string;
}

export interface DiffOptions {
  /** Tokens left after cutting prefix and suffix, per side, above which Myers is not tried (default 50,000). */
  maxTokens?: number;
  /** Largest edit distance (tokens removed + added) Myers may find (default 2,000). */
  maxEdits?: number;
  /** Steps Myers may take (diagonal visits plus snake steps; default 20 million). */
  maxWork?: number;
}

const DEFAULTS = { maxTokens: 50_000, maxEdits: 2_000, maxWork: 20_000_000 } as const;

// ---- tokenising -------------------------------------------------------------------------------------------

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
const SINGLE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

type CharClass = 0 | 1 | 2 | 3; // whitespace, word, single-character token, other (also single)

function classOf(ch: string): CharClass {
  const c = ch.charCodeAt(0);
  if (c < 128) {
    if (c === 32 || (c >= 9 && c <= 13)) return 0;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return 1;
    return 3;
  }
  if (/\s/u.test(ch)) return 0;
  if (SINGLE.test(ch)) return 2;
  return WORD_CHAR.test(ch) ? 1 : 3;
}

/** Words, whitespace runs and single other characters; the tokens concatenate to the input. */
export function wordTokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const cls = classOf(text.slice(i, i + width));
    let j = i + width;
    if (cls === 0 || cls === 1) {
      while (j < n) {
        const cp2 = text.codePointAt(j)!;
        const w2 = cp2 > 0xffff ? 2 : 1;
        if (classOf(text.slice(j, j + w2)) !== cls) break;
        j += w2;
      }
    }
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** Lines with their line ending kept; they concatenate to the input. */
export function lineTokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

// ---- Myers ------------------------------------------------------------------------------------------------

/** 0 = same, 1 = removed (from a), 2 = added (from b), in order; or null when over the limits. */
function myers(a: Int32Array, b: Int32Array, maxEdits: number, maxWork: number): Uint8Array | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let work = 0;
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      const x0 = x;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      work += 1 + x - x0;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
    if (work > maxWork) return found >= 0 ? backtrack(trace, n, m, found) : null;
  }
  return found >= 0 ? backtrack(trace, n, m, found) : null;
}

function backtrack(trace: readonly Int32Array[], n: number, m: number, dEnd: number): Uint8Array {
  const ops = new Uint8Array(n + m);
  let p = ops.length;
  let x = n;
  let y = m;
  const at = (d: number, k: number): number => trace[d]![k + d]!;
  for (let d = dEnd; d > 0; d--) {
    const k = x - y;
    const prevK = k === -d || (k !== d && at(d - 1, k - 1) < at(d - 1, k + 1)) ? k + 1 : k - 1;
    const prevX = at(d - 1, prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops[--p] = 0;
      x--;
      y--;
    }
    ops[--p] = x === prevX ? 2 : 1;
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops[--p] = 0;
    x--;
    y--;
  }
  return ops.subarray(p);
}

// ---- assembling -------------------------------------------------------------------------------------------

interface Change {
  removed: string;
  added: string;
}

type Piece = { same: string } | Change;

function isChange(p: Piece | undefined): p is Change {
  return p !== undefined && 'removed' in p;
}

/** Tokens of both sides as integer ids (equal tokens, equal ids). */
function toIds(ta: readonly string[], tb: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const map = (t: readonly string[]): Int32Array => {
    const out = new Int32Array(t.length);
    for (let i = 0; i < t.length; i++) {
      let id = ids.get(t[i]!);
      if (id === undefined) ids.set(t[i]!, (id = ids.size));
      out[i] = id;
    }
    return out;
  };
  return [map(ta), map(tb)];
}

function isWhitespace(s: string): boolean {
  return s.length > 0 && s.trim() === '';
}

/**
 * Diffs token lists; returns the pieces, or null when Myers does not fit. `coarse` skips Myers and reports
 * the middle as one change.
 */
function diffTokens(ta: readonly string[], tb: readonly string[], opts: Required<DiffOptions>, coarse: boolean): Piece[] | null {
  const [a, b] = toIds(ta, tb);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const pieces: Piece[] = [];
  if (pre > 0) pieces.push({ same: ta.slice(0, pre).join('') });
  const midA = a.subarray(pre, a.length - suf);
  const midB = b.subarray(pre, b.length - suf);
  if (coarse) {
    if (midA.length + midB.length > 0) {
      pieces.push({ removed: ta.slice(pre, ta.length - suf).join(''), added: tb.slice(pre, tb.length - suf).join('') });
    }
  } else if (midA.length + midB.length > 0) {
    if (midA.length > opts.maxTokens || midB.length > opts.maxTokens) return null;
    const ops = myers(midA, midB, opts.maxEdits, opts.maxWork);
    if (!ops) return null;
    let ia = pre;
    let ib = pre;
    let same = '';
    let change: Change | null = null;
    for (const op of ops) {
      if (op === 0) {
        if (change) {
          pieces.push(change);
          change = null;
        }
        same += ta[ia++];
        ib++;
      } else {
        if (same) {
          pieces.push({ same });
          same = '';
        }
        change ??= { removed: '', added: '' };
        if (op === 1) change.removed += ta[ia++];
        else change.added += tb[ib++];
      }
    }
    if (change) pieces.push(change);
    if (same) pieces.push({ same });
  }
  if (suf > 0) pieces.push({ same: ta.slice(ta.length - suf).join('') });
  return mergeAcrossWhitespace(pieces);
}

/**
 * "the cat" → "a dog" reads better as one replacement than as two split by an unchanged space: a run of
 * whitespace between two replacements joins them (the whitespace is then in both the removed and added text).
 */
function mergeAcrossWhitespace(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    const last = out[out.length - 1];
    const next = pieces[i + 1];
    if (
      !isChange(p) &&
      isWhitespace(p.same) &&
      isChange(last) &&
      isChange(next) &&
      last.removed &&
      last.added &&
      next.removed &&
      next.added
    ) {
      last.removed += p.same + next.removed;
      last.added += p.same + next.added;
      i++;
      continue;
    }
    // Adjacent pieces of one kind (e.g. prefix followed by a same run) become one.
    if (!isChange(p) && last && !isChange(last)) last.same += p.same;
    else out.push({ ...p });
  }
  return out;
}

function toSegments(pieces: readonly Piece[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (const p of pieces) {
    if (!isChange(p)) {
      if (p.same) out.push({ kind: 'same', text: p.same });
      continue;
    }
    if (p.removed) out.push({ kind: 'removed', text: p.removed });
    if (p.added) out.push({ kind: 'added', text: p.added });
  }
  return out;
}

/** The differences from `a` to `b` (word-level when it fits; see the module comment). */
export function diffText(a: string, b: string, options: DiffOptions = {}): DiffResult {
  const opts: Required<DiffOptions> = { ...DEFAULTS, ...options };
  const words = diffTokens(wordTokens(a), wordTokens(b), opts, false);
  if (words) return { segments: toSegments(words), granularity: 'word' };
  const lines = diffTokens(lineTokens(a), lineTokens(b), opts, false);
  if (lines) {
    return {
      segments: toSegments(lines),
      granularity: 'line',
      note: 'The responses differ in too many words for a word-by-word view; changed lines are shown instead.',
    };
  }
  return {
    segments: toSegments(diffTokens(lineTokens(a), lineTokens(b), opts, true)!),
    granularity: 'coarse',
    note: 'The responses differ too much for a word or line view; the differing middle is shown as one replacement.',
  };
}
