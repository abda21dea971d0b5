// Inline Markdown (emphasis, strong, code spans, links, images, autolinks, line breaks) after CommonMark's
// delimiter-stack algorithm, with every scan bounded so that hostile text costs linear time:
// - code spans find their closing run in a per-length index of backtick runs (no forward rescans);
// - emphasis uses CommonMark's "openers bottom" memo;
// - the part after "](" is scanned at most TAIL_LIMIT characters, and after FAILED_TAIL_BUDGET failures in
//   one block no more are tried (success consumes what it scanned, so only failures could repeat work);
// - links deactivating earlier "[" openers is a counter comparison, not a walk over the bracket stack;
// - the tree is cut at MAX_INLINE_DEPTH levels (deeper formatting becomes its plain text).
// Raw HTML is not a thing here: "<" is text unless it opens an http(s)/mailto autolink.
import { plainText, type MdInline } from './ast';
import { isEmailAddress, safeHref } from './policy';

export const MAX_INLINE_DEPTH = 12;
/** Longer paragraphs are shown as plain text (line breaks kept): formatting them would cost memory for little. */
export const MAX_INLINE_CHARS = 100_000;
const TAIL_LIMIT = 4096;
const FAILED_TAIL_BUDGET = 256;
const AUTOLINK_LIMIT = 2048;

export interface InlineOptions {
  /** Single newlines become line breaks (true) or stay soft, shown as a space (false). */
  breaks: boolean;
}

const BACKSLASH = 92;
const BACKTICK = 96;
const STAR = 42;
const UNDERSCORE = 95;
const LBRACKET = 91;
const RBRACKET = 93;
const BANG = 33;
const LT = 60;
const GT = 62;
const NEWLINE = 10;
const LPAREN = 40;
const RPAREN = 41;
const SPACE = 32;
const TAB = 9;
const DQUOTE = 34;
const SQUOTE = 39;

const SPECIAL = new Uint8Array(128);
for (const c of [BACKSLASH, BACKTICK, STAR, UNDERSCORE, LBRACKET, RBRACKET, BANG, LT, NEWLINE]) SPECIAL[c] = 1;

function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

const WS = /\s/u;
const PUNCT = /[\p{P}\p{S}]/u;

interface Node {
  text: string;
  el: MdInline | null;
  prev: Node | null;
  next: Node | null;
}

interface Delim {
  node: Node;
  char: number;
  count: number;
  orig: number;
  canOpen: boolean;
  canClose: boolean;
  prev: Delim | null;
  next: Delim | null;
}

interface Bracket {
  node: Node;
  image: boolean;
  /** Links made before this opener was pushed; any link made since makes a non-image opener inactive. */
  linksAtPush: number;
  prevDelim: Delim | null;
  prev: Bracket | null;
  src: number;
}

/** Parses one block's inline text. */
export function parseInline(text: string, options: InlineOptions): MdInline[] {
  if (text.length > MAX_INLINE_CHARS) return plainWithBreaks(text, options);
  const p = new InlineParser(text, options);
  return p.run();
}

function plainWithBreaks(text: string, options: InlineOptions): MdInline[] {
  if (!options.breaks) return [{ type: 'text', text }];
  const out: MdInline[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (i > 0) out.push({ type: 'break' });
    if (line) out.push({ type: 'text', text: line });
  });
  return out;
}

class InlineParser {
  private pos = 0;
  private pending = '';
  private readonly head: Node = { text: '', el: null, prev: null, next: null };
  private tail: Node = this.head;
  private delims: Delim | null = null;
  private brackets: Bracket | null = null;
  private linksMade = 0;
  private failedTails = 0;
  private backtickRuns: Map<number, number[]> | null = null;

  constructor(
    private readonly s: string,
    private readonly options: InlineOptions,
  ) {}

  run(): MdInline[] {
    const s = this.s;
    const n = s.length;
    while (this.pos < n) {
      const c = s.charCodeAt(this.pos);
      switch (c) {
        case BACKSLASH:
          this.backslash();
          break;
        case BACKTICK:
          this.codeSpan();
          break;
        case STAR:
        case UNDERSCORE:
          this.delimiterRun(c);
          break;
        case LBRACKET:
          this.openBracket(false, 1);
          break;
        case BANG:
          if (s.charCodeAt(this.pos + 1) === LBRACKET) this.openBracket(true, 2);
          else {
            this.pending += '!';
            this.pos++;
          }
          break;
        case RBRACKET:
          this.closeBracket();
          break;
        case LT:
          this.autolink();
          break;
        case NEWLINE:
          this.newline();
          break;
        default: {
          let j = this.pos + 1;
          while (j < n) {
            const d = s.charCodeAt(j);
            if (d < 128 && SPECIAL[d] === 1) break;
            j++;
          }
          this.pending += s.slice(this.pos, j);
          this.pos = j;
        }
      }
    }
    this.flush();
    this.processEmphasis(null);
    const nodes: Node[] = [];
    for (let x = this.head.next; x; x = x.next) nodes.push(x);
    return finish(toInlines(nodes), 0, false);
  }

  // ---- node list ----------------------------------------------------------------------------------------

  private flush(): void {
    if (this.pending) {
      this.append({ text: this.pending, el: null, prev: null, next: null });
      this.pending = '';
    }
  }

  private append(node: Node): Node {
    node.prev = this.tail;
    node.next = null;
    this.tail.next = node;
    this.tail = node;
    return node;
  }

  private appendEl(el: MdInline): void {
    this.flush();
    this.append({ text: '', el, prev: null, next: null });
  }

  // ---- handlers -----------------------------------------------------------------------------------------

  private backslash(): void {
    const next = this.s.charCodeAt(this.pos + 1);
    if (next === NEWLINE) {
      this.appendEl({ type: 'break' });
      this.pos += 2;
      this.skipLineStart();
    } else if (isAsciiPunct(next)) {
      this.pending += this.s[this.pos + 1];
      this.pos += 2;
    } else {
      this.pending += '\\';
      this.pos++;
    }
  }

  private newline(): void {
    let trailing = 0;
    while (trailing < this.pending.length && this.pending.charCodeAt(this.pending.length - 1 - trailing) === SPACE) trailing++;
    const hard = trailing >= 2;
    if (trailing > 0) this.pending = this.pending.slice(0, this.pending.length - trailing);
    if (hard || this.options.breaks) this.appendEl({ type: 'break' });
    else this.pending += '\n';
    this.pos++;
    this.skipLineStart();
  }

  private skipLineStart(): void {
    const s = this.s;
    while (this.pos < s.length && (s.charCodeAt(this.pos) === SPACE || s.charCodeAt(this.pos) === TAB)) this.pos++;
  }

  private codeSpan(): void {
    const s = this.s;
    let j = this.pos;
    while (s.charCodeAt(j) === BACKTICK) j++;
    const len = j - this.pos;
    const close = this.findBacktickRun(len, j);
    if (close < 0) {
      this.pending += s.slice(this.pos, j);
      this.pos = j;
      return;
    }
    let content = s.slice(j, close).replaceAll('\n', ' ');
    if (content.length >= 2 && content[0] === ' ' && content[content.length - 1] === ' ' && content.trim() !== '') {
      content = content.slice(1, -1);
    }
    this.appendEl({ type: 'code', text: content });
    this.pos = close + len;
  }

  /** Start of the first run of exactly `len` backticks at or after `from`, or -1. */
  private findBacktickRun(len: number, from: number): number {
    if (!this.backtickRuns) {
      // Every maximal run of the block, indexed by length, built once: closers ignore backslashes, so the
      // raw runs are exactly the candidates.
      const runs = new Map<number, number[]>();
      const s = this.s;
      let i = s.indexOf('`');
      while (i >= 0) {
        let j = i;
        while (s.charCodeAt(j) === BACKTICK) j++;
        let list = runs.get(j - i);
        if (!list) runs.set(j - i, (list = []));
        list.push(i);
        i = s.indexOf('`', j);
      }
      this.backtickRuns = runs;
    }
    const list = this.backtickRuns.get(len);
    if (!list) return -1;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length ? list[lo]! : -1;
  }

  private delimiterRun(ch: number): void {
    const s = this.s;
    let j = this.pos;
    while (s.charCodeAt(j) === ch) j++;
    const before = this.pos === 0 ? '\n' : codePointBefore(s, this.pos);
    const after = j >= s.length ? '\n' : String.fromCodePoint(s.codePointAt(j)!);
    const beforeWs = WS.test(before);
    const afterWs = WS.test(after);
    const beforeP = PUNCT.test(before);
    const afterP = PUNCT.test(after);
    const left = !afterWs && (!afterP || beforeWs || beforeP);
    const right = !beforeWs && (!beforeP || afterWs || afterP);
    const canOpen = ch === STAR ? left : left && (!right || beforeP);
    const canClose = ch === STAR ? right : right && (!left || afterP);
    this.flush();
    const node = this.append({ text: s.slice(this.pos, j), el: null, prev: null, next: null });
    const d: Delim = { node, char: ch, count: j - this.pos, orig: j - this.pos, canOpen, canClose, prev: this.delims, next: null };
    if (this.delims) this.delims.next = d;
    this.delims = d;
    this.pos = j;
  }

  private openBracket(image: boolean, width: number): void {
    this.flush();
    const node = this.append({ text: image ? '![' : '[', el: null, prev: null, next: null });
    this.brackets = { node, image, linksAtPush: this.linksMade, prevDelim: this.delims, prev: this.brackets, src: this.pos };
    this.pos += width;
  }

  private closeBracket(): void {
    this.pos++;
    const op = this.brackets;
    if (!op) {
      this.pending += ']';
      return;
    }
    const active = op.image || op.linksAtPush === this.linksMade;
    let tail: { href: string; end: number } | null = null;
    if (active && this.s.charCodeAt(this.pos) === LPAREN && this.failedTails < FAILED_TAIL_BUDGET) {
      tail = parseTail(this.s, this.pos);
      if (!tail) this.failedTails++;
    }
    this.brackets = op.prev;
    if (!tail) {
      this.pending += ']';
      return;
    }
    this.flush();
    this.processEmphasis(op.prevDelim);
    const inner: Node[] = [];
    for (let x = op.node.next; x; x = x.next) inner.push(x);
    const children = toInlines(inner);
    let el: MdInline;
    if (op.image) {
      el = { type: 'image', alt: plainText(children), url: tail.href };
    } else {
      const href = safeHref(tail.href);
      if (href) {
        el = { type: 'link', href, children };
        this.linksMade++;
      } else {
        // A refused address: the reader sees exactly what the text said, link syntax and all.
        el = { type: 'text', text: this.s.slice(op.src, tail.end) };
      }
    }
    op.node.text = '';
    op.node.el = el;
    op.node.next = null;
    this.tail = op.node;
    this.pos = tail.end;
  }

  private autolink(): void {
    const s = this.s;
    const limit = Math.min(s.length, this.pos + 1 + AUTOLINK_LIMIT);
    let j = this.pos + 1;
    while (j < limit) {
      const c = s.charCodeAt(j);
      if (c === GT || c === LT || c <= SPACE) break;
      j++;
    }
    if (j < s.length && s.charCodeAt(j) === GT && j > this.pos + 1) {
      const raw = s.slice(this.pos + 1, j);
      const href = safeHref(raw) ?? (isEmailAddress(raw) ? safeHref(`mailto:${raw}`) : null);
      if (href) {
        this.appendEl({ type: 'link', href, children: [{ type: 'text', text: raw }] });
        this.pos = j + 1;
        return;
      }
    }
    this.pending += '<';
    this.pos++;
  }

  // ---- emphasis (CommonMark "process emphasis") ---------------------------------------------------------

  private processEmphasis(bottom: Delim | null): void {
    const openersBottom = new Map<number, Delim | null>();
    let closer = this.delims;
    while (closer && closer.prev !== bottom) closer = closer.prev;
    while (closer) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const key = closer.char * 8 + (closer.canOpen ? 4 : 0) + (closer.orig % 3);
      const stop = openersBottom.has(key) ? openersBottom.get(key)! : bottom;
      let opener = closer.prev;
      let found = false;
      while (opener && opener !== bottom && opener !== stop) {
        const odd = (closer.canOpen || opener.canClose) && closer.orig % 3 !== 0 && (opener.orig + closer.orig) % 3 === 0;
        if (opener.char === closer.char && opener.canOpen && !odd) {
          found = true;
          break;
        }
        opener = opener.prev;
      }
      if (found && opener) {
        const use = closer.count >= 2 && opener.count >= 2 ? 2 : 1;
        opener.count -= use;
        closer.count -= use;
        opener.node.text = opener.node.text.slice(0, opener.node.text.length - use);
        closer.node.text = closer.node.text.slice(0, closer.node.text.length - use);
        wrap(opener.node, closer.node, use === 1 ? 'emphasis' : 'strong');
        // Delimiters between the two are inside the new element now.
        opener.next = closer;
        closer.prev = opener;
        if (opener.count === 0) this.removeDelim(opener);
        if (closer.count === 0) {
          const next = closer.next;
          this.removeDelim(closer);
          closer = next;
        }
      } else {
        const old = closer;
        closer = closer.next;
        openersBottom.set(key, old.prev);
        if (!old.canOpen) this.removeDelim(old);
      }
    }
    while (this.delims && this.delims !== bottom) this.removeDelim(this.delims);
  }

  private removeDelim(d: Delim): void {
    if (d.prev) d.prev.next = d.next;
    if (d.next) d.next.prev = d.prev;
    else this.delims = d.prev;
  }
}

function codePointBefore(s: string, pos: number): string {
  const lo = s.charCodeAt(pos - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && pos >= 2) {
    const hi = s.charCodeAt(pos - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return s.slice(pos - 2, pos);
  }
  return s[pos - 1]!;
}

/** Moves the nodes strictly between `a` and `b` into a new element placed between them. */
function wrap(a: Node, b: Node, type: 'emphasis' | 'strong'): void {
  const inner: Node[] = [];
  for (let x = a.next; x && x !== b; x = x.next) inner.push(x);
  const node: Node = { text: '', el: { type, children: toInlines(inner) }, prev: a, next: b };
  a.next = node;
  b.prev = node;
}

function toInlines(nodes: readonly Node[]): MdInline[] {
  const out: MdInline[] = [];
  for (const n of nodes) {
    if (n.el) out.push(n.el);
    else if (n.text) {
      const last = out[out.length - 1];
      if (last && last.type === 'text') last.text += n.text;
      else out.push({ type: 'text', text: n.text });
    }
  }
  return out;
}

/**
 * Final pass: cuts the tree at MAX_INLINE_DEPTH (deeper formatting becomes its text), unwraps links inside
 * links (an autolink inside link text), and merges neighbouring text.
 */
function finish(nodes: readonly MdInline[], level: number, inLink: boolean): MdInline[] {
  const out: MdInline[] = [];
  const pushText = (text: string): void => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.type === 'text') last.text += text;
    else out.push({ type: 'text', text });
  };
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        pushText(n.text);
        break;
      case 'code':
      case 'break':
      case 'image':
        out.push(n);
        break;
      case 'link':
        if (inLink) {
          for (const c of finish(n.children, level, true)) {
            if (c.type === 'text') pushText(c.text);
            else out.push(c);
          }
        } else if (level >= MAX_INLINE_DEPTH) pushText(plainText(n.children));
        else out.push({ type: 'link', href: n.href, children: finish(n.children, level + 1, true) });
        break;
      default:
        if (level >= MAX_INLINE_DEPTH) pushText(plainText(n.children));
        else out.push({ type: n.type, children: finish(n.children, level + 1, inLink) });
    }
  }
  return out;
}

function skipSpace(s: string, i: number, limit: number): number {
  let newlines = 0;
  while (i < limit) {
    const c = s.charCodeAt(i);
    if (c === SPACE || c === TAB) i++;
    else if (c === NEWLINE && newlines === 0) {
      newlines++;
      i++;
    } else break;
  }
  return i;
}

function unescapePunct(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === BACKSLASH && i + 1 < s.length && isAsciiPunct(s.charCodeAt(i + 1))) i++;
    out += s[i];
  }
  return out;
}

/** `(destination "title")` starting at the "(" at `p`; at most TAIL_LIMIT characters are read. */
function parseTail(s: string, p: number): { href: string; end: number } | null {
  const limit = Math.min(s.length, p + TAIL_LIMIT);
  let i = skipSpace(s, p + 1, limit);
  let href: string;
  if (s.charCodeAt(i) === LT) {
    let j = i + 1;
    while (j < limit) {
      const c = s.charCodeAt(j);
      if (c === GT || c === LT || c === NEWLINE) break;
      j += c === BACKSLASH ? 2 : 1;
    }
    if (j >= limit || s.charCodeAt(j) !== GT) return null;
    href = unescapePunct(s.slice(i + 1, j));
    i = j + 1;
  } else {
    const start = i;
    let depth = 0;
    while (i < limit) {
      const c = s.charCodeAt(i);
      if (c === BACKSLASH && i + 1 < limit && isAsciiPunct(s.charCodeAt(i + 1))) {
        i += 2;
        continue;
      }
      if (c <= SPACE || c === 127) break;
      if (c === LPAREN) {
        if (++depth > 32) return null;
      } else if (c === RPAREN) {
        if (depth === 0) break;
        depth--;
      }
      i++;
    }
    if (i >= limit || depth !== 0) return null;
    href = unescapePunct(s.slice(start, i));
  }
  const afterDest = i;
  i = skipSpace(s, i, limit);
  const q = s.charCodeAt(i);
  if (i > afterDest && (q === DQUOTE || q === SQUOTE || q === LPAREN)) {
    const close = q === LPAREN ? RPAREN : q;
    let j = i + 1;
    while (j < limit) {
      const c = s.charCodeAt(j);
      if (c === BACKSLASH) {
        j += 2;
        continue;
      }
      if (c === close) break;
      j++;
    }
    if (j >= limit) return null;
    i = skipSpace(s, j + 1, limit);
  }
  if (i >= limit || s.charCodeAt(i) !== RPAREN) return null;
  return { href, end: i + 1 };
}
