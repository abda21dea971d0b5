// Block structure of untrusted Markdown: a line-based, CommonMark-like parser. Containers (block quotes,
// list items) strip their prefix and parse their lines again one level deeper; past MAX_BLOCK_DEPTH levels
// container markers are plain text. So every line is looked at a bounded number of times per level and the
// whole parse is linear in the input times a small constant, whatever the nesting.
//
// Kept out on purpose: raw HTML blocks (HTML is text here), reference-style links and their definitions,
// footnotes and front matter (all shown as written).
import type { Align, MdBlock } from './ast';
import { parseInline, type InlineOptions } from './inline';

export const MAX_BLOCK_DEPTH = 12;
export const MAX_TABLE_COLUMNS = 64;

export interface ParseOptions {
  /** Single newlines inside a paragraph become line breaks (default true: model output is usually written so). */
  breaks?: boolean;
}

/** Parses untrusted Markdown into the typed tree. Never throws on any input. */
export function parseMarkdown(text: string, options: ParseOptions = {}): MdBlock[] {
  const src = text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
  const inline: InlineOptions = { breaks: options.breaks ?? true };
  return parseBlocks(src.split(/\r\n|\r|\n/), 0, inline);
}

const SPACE = 32;
const TAB = 9;

/** Expands tabs in the leading whitespace to 4-column stops; the rest of the line is left alone. */
function detab(line: string): string {
  let i = 0;
  let hasTab = false;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === TAB) hasTab = true;
    else if (c !== SPACE) break;
    i++;
  }
  if (!hasTab) return line;
  let col = 0;
  for (let k = 0; k < i; k++) col = line.charCodeAt(k) === TAB ? col + 4 - (col % 4) : col + 1;
  return ' '.repeat(col) + line.slice(i);
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === SPACE) i++;
  return i;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== SPACE && c !== TAB) return false;
  }
  return true;
}

function stripLeading(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
  return i === 0 ? line : line.slice(i);
}

function stripTrailing(line: string): string {
  let i = line.length;
  while (i > 0 && (line.charCodeAt(i - 1) === SPACE || line.charCodeAt(i - 1) === TAB)) i--;
  return i === line.length ? line : line.slice(0, i);
}

// ---- line classifiers -------------------------------------------------------------------------------------

interface Fence {
  indent: number;
  char: string;
  length: number;
  lang: string;
}

function fenceOpen(line: string): Fence | null {
  const ind = indentOf(line);
  if (ind > 3) return null;
  const ch = line[ind];
  if (ch !== '`' && ch !== '~') return null;
  let j = ind;
  while (line[j] === ch) j++;
  if (j - ind < 3) return null;
  const info = line.slice(j).trim();
  if (ch === '`' && info.includes('`')) return null;
  return { indent: ind, char: ch, length: j - ind, lang: languageOf(info) };
}

function languageOf(info: string): string {
  let end = 0;
  while (end < info.length && end <= 32 && !/\s/.test(info[end]!)) end++;
  const word = info.slice(0, end).toLowerCase();
  return word.length <= 32 && /^[a-z0-9_+#.-]*$/.test(word) ? word : '';
}

function isFenceClose(line: string, fence: Fence): boolean {
  const ind = indentOf(line);
  if (ind > 3) return false;
  let j = ind;
  while (line[j] === fence.char) j++;
  return j - ind >= fence.length && isBlank(line.slice(j));
}

function atxHeading(line: string): { level: 1 | 2 | 3 | 4 | 5 | 6; text: string } | null {
  const ind = indentOf(line);
  if (ind > 3) return null;
  let j = ind;
  while (line[j] === '#' && j - ind < 7) j++;
  const level = j - ind;
  if (level < 1 || level > 6) return null;
  if (j < line.length && line[j] !== ' ' && line[j] !== '\t') return null;
  let text = stripTrailing(line.slice(j)).trim();
  // An optional closing run of "#", separated by a space (or the whole content).
  let k = text.length;
  while (k > 0 && text[k - 1] === '#') k--;
  if (k === 0) text = '';
  else if (k < text.length && (text[k - 1] === ' ' || text[k - 1] === '\t')) text = stripTrailing(text.slice(0, k));
  return { level: level as 1 | 2 | 3 | 4 | 5 | 6, text };
}

function isThematicBreak(line: string): boolean {
  const ind = indentOf(line);
  if (ind > 3) return false;
  const ch = line[ind];
  if (ch !== '-' && ch !== '*' && ch !== '_') return false;
  let count = 0;
  for (let i = ind; i < line.length; i++) {
    const c = line[i];
    if (c === ch) count++;
    else if (c !== ' ' && c !== '\t') return false;
  }
  return count >= 3;
}

function setextLevel(line: string): 1 | 2 | null {
  const ind = indentOf(line);
  if (ind > 3) return null;
  const ch = line[ind];
  if (ch !== '=' && ch !== '-') return null;
  let j = ind;
  while (line[j] === ch) j++;
  return isBlank(line.slice(j)) ? (ch === '=' ? 1 : 2) : null;
}

function quoteStrip(line: string): string | null {
  const ind = indentOf(line);
  if (ind > 3 || line[ind] !== '>') return null;
  const rest = line.slice(ind + 1);
  if (rest[0] === ' ') return rest.slice(1);
  if (rest[0] === '\t') return detab(`  ${rest.slice(1)}`);
  return rest;
}

interface ListMarker {
  ordered: boolean;
  /** The bullet character, or the ordered delimiter ("." or ")"). */
  mark: string;
  start: number;
  /** Column where the item's content begins; continuation lines must be indented this far. */
  width: number;
  empty: boolean;
  first: string;
}

function listMarker(line: string): ListMarker | null {
  const ind = indentOf(line);
  if (ind > 3) return null;
  let j = ind;
  let ordered = false;
  let start = 1;
  let mark: string;
  const c = line[j];
  if (c === '-' || c === '+' || c === '*') {
    mark = c;
    j++;
  } else {
    let k = j;
    while (k < line.length && k - j < 10 && line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k++;
    if (k === j || k - j > 9) return null;
    const d = line[k];
    if (d !== '.' && d !== ')') return null;
    ordered = true;
    start = Number(line.slice(j, k));
    mark = d;
    j = k + 1;
  }
  if (j < line.length && line[j] !== ' ' && line[j] !== '\t') return null;
  let k = j;
  while (line[k] === ' ') k++;
  const empty = k >= line.length;
  // Five or more spaces after the marker: the content is indented code starting one space in.
  const width = empty || k - j > 4 ? j + 1 : k;
  return { ordered, mark, start, width, empty, first: empty ? '' : line.slice(width) };
}

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cur.trim());
      cur = '';
      if (cells.length > MAX_TABLE_COLUMNS) return cells;
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

function delimiterRow(line: string): Align[] | null {
  if (!line.includes('-') || indentOf(line) > 3) return null;
  const cells = splitRow(line);
  if (cells.length > MAX_TABLE_COLUMNS) return null;
  const align: Align[] = [];
  for (const cell of cells) {
    const left = cell.startsWith(':');
    const right = cell.length > 1 && cell.endsWith(':');
    const dashes = cell.slice(left ? 1 : 0, right ? -1 : undefined);
    if (dashes.length === 0) return null;
    for (let i = 0; i < dashes.length; i++) if (dashes[i] !== '-') return null;
    align.push(left && right ? 'center' : right ? 'right' : left ? 'left' : null);
  }
  return align;
}

/** The table's column alignments when lines[i] is a header row and lines[i + 1] its delimiter row. */
function tableAt(lines: readonly string[], i: number): Align[] | null {
  const header = lines[i];
  const delim = lines[i + 1];
  if (header === undefined || delim === undefined || !header.includes('|') || indentOf(header) > 3) return null;
  const align = delimiterRow(delim);
  if (!align) return null;
  return splitRow(header).length === align.length ? align : null;
}

// ---- the parser -------------------------------------------------------------------------------------------

function parseBlocks(rawLines: readonly string[], depth: number, inline: InlineOptions): MdBlock[] {
  const lines = rawLines.map(detab);
  const containers = depth < MAX_BLOCK_DEPTH;
  /** Whether `line` starts a block that ends a paragraph (indented code cannot). */
  const interrupts = (line: string): boolean => {
    if (fenceOpen(line) || atxHeading(line) || isThematicBreak(line)) return true;
    if (!containers) return false;
    if (quoteStrip(line) !== null) return true;
    const m = listMarker(line);
    return m !== null && !m.empty && (!m.ordered || m.start === 1);
  };

  const out: MdBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }

    if (indentOf(line) >= 4) {
      const code: string[] = [];
      let j = i;
      while (j < lines.length && (isBlank(lines[j]!) || indentOf(lines[j]!) >= 4)) code.push(lines[j++]!.slice(4));
      while (code.length > 0 && isBlank(code[code.length - 1]!)) code.pop();
      out.push({ type: 'code', lang: '', text: code.join('\n') });
      i = j;
      continue;
    }

    const fence = fenceOpen(line);
    if (fence) {
      const code: string[] = [];
      let j = i + 1;
      while (j < lines.length && !isFenceClose(lines[j]!, fence)) {
        const l = lines[j++]!;
        code.push(l.slice(Math.min(fence.indent, indentOf(l))));
      }
      out.push({ type: 'code', lang: fence.lang, text: code.join('\n') });
      i = j + 1;
      continue;
    }

    const heading = atxHeading(line);
    if (heading) {
      out.push({ type: 'heading', level: heading.level, children: parseInline(heading.text, inline) });
      i++;
      continue;
    }

    if (isThematicBreak(line)) {
      out.push({ type: 'hr' });
      i++;
      continue;
    }

    if (containers && quoteStrip(line) !== null) {
      const inner: string[] = [];
      let j = i;
      while (j < lines.length) {
        const l = lines[j]!;
        const q = quoteStrip(l);
        if (q !== null) inner.push(q);
        // Lazy continuation: an unmarked line continues the quote's paragraph.
        else if (!isBlank(l) && inner.length > 0 && !isBlank(inner[inner.length - 1]!) && !interrupts(l)) inner.push(l);
        else break;
        j++;
      }
      out.push({ type: 'blockquote', children: parseBlocks(inner, depth + 1, inline) });
      i = j;
      continue;
    }

    const first = containers ? listMarker(line) : null;
    if (first) {
      const items: MdBlock[][] = [];
      let tight = true;
      let j = i;
      while (j < lines.length) {
        const m = listMarker(lines[j]!);
        if (!m || m.ordered !== first.ordered || m.mark !== first.mark || isThematicBreak(lines[j]!)) break;
        const itemLines = [m.first];
        let k = j + 1;
        while (k < lines.length) {
          const l = lines[k]!;
          if (isBlank(l)) itemLines.push('');
          else if (indentOf(l) >= m.width) itemLines.push(l.slice(m.width));
          // Lazy continuation of the item's paragraph; any list marker here is a sibling or a new list.
          else if (itemLines[itemLines.length - 1] !== '' && !interrupts(l) && !listMarker(l) && !(m.empty && itemLines.length === 1)) {
            itemLines.push(l);
          } else break;
          k++;
        }
        let trailingBlank = false;
        while (itemLines.length > 1 && itemLines[itemLines.length - 1] === '') {
          itemLines.pop();
          trailingBlank = true;
        }
        const children = parseBlocks(itemLines, depth + 1, inline);
        if (children.length > 1 && itemLines.slice(1).some((l) => l === '')) tight = false;
        items.push(children);
        j = k;
        if (trailingBlank && j < lines.length) {
          const next = listMarker(lines[j]!);
          if (next && next.ordered === first.ordered && next.mark === first.mark) tight = false;
        }
      }
      out.push({ type: 'list', ordered: first.ordered, start: first.start, tight, items });
      i = j;
      continue;
    }

    const align = tableAt(lines, i);
    if (align) {
      const width = align.length;
      const cells = (row: string): string[] => {
        const c = splitRow(row).slice(0, width);
        while (c.length < width) c.push('');
        return c;
      };
      const header = cells(line).map((c) => parseInline(c, inline));
      const rows: ReturnType<typeof parseInline>[][] = [];
      let j = i + 2;
      while (j < lines.length && !isBlank(lines[j]!) && !interrupts(lines[j]!)) {
        rows.push(cells(lines[j]!).map((c) => parseInline(c, inline)));
        j++;
      }
      out.push({ type: 'table', align, header, rows });
      i = j;
      continue;
    }

    // Paragraph (or a setext heading when underlined).
    const para = [stripLeading(line)];
    let j = i + 1;
    let level: 1 | 2 | null = null;
    while (j < lines.length) {
      const l = lines[j]!;
      if (isBlank(l)) break;
      level = setextLevel(l);
      if (level) {
        j++;
        break;
      }
      if (interrupts(l) || tableAt(lines, j)) break;
      para.push(stripLeading(l));
      j++;
    }
    const text = stripTrailing(para.join('\n'));
    const children = parseInline(text, inline);
    out.push(level ? { type: 'heading', level, children } : { type: 'paragraph', children });
    i = j;
  }
  return out;
}
