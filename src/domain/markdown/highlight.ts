// A small code highlighter for the languages model answers use most (Python, JavaScript/TypeScript, JSON,
// shell, C-like). One left-to-right pass: comments, strings, numbers and keywords; everything else is plain.
// Not a parser (a "/" that starts a JS regex is not recognised, for example): it is a reading aid, and a
// wrong colour is harmless. Every scan jumps past what it consumed, so the pass is linear.

export type TokenKind = 'plain' | 'keyword' | 'string' | 'comment' | 'number';

export interface Token {
  kind: TokenKind;
  text: string;
}

export type LanguageFamily = 'python' | 'js' | 'json' | 'bash' | 'c';

/** Longer code is returned as one plain token: thousands of coloured spans would slow the page for little. */
export const MAX_HIGHLIGHT_CHARS = 200_000;

const ALIASES: Record<string, LanguageFamily> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  py3: 'python',
  ipython: 'python',
  javascript: 'js',
  js: 'js',
  jsx: 'js',
  mjs: 'js',
  cjs: 'js',
  node: 'js',
  typescript: 'js',
  ts: 'js',
  tsx: 'js',
  mts: 'js',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  jsonl: 'json',
  bash: 'bash',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'bash',
  shellscript: 'bash',
  c: 'c',
  h: 'c',
  cpp: 'c',
  'c++': 'c',
  cc: 'c',
  cxx: 'c',
  hpp: 'c',
  java: 'c',
  cs: 'c',
  csharp: 'c',
  'c#': 'c',
  go: 'c',
  golang: 'c',
  rust: 'c',
  rs: 'c',
  kotlin: 'c',
  kt: 'c',
  swift: 'c',
  scala: 'c',
  dart: 'c',
  php: 'c',
};

/** The highlighter family for a fence's language name, or null (shown plain). */
export function languageFamily(lang: string): LanguageFamily | null {
  return ALIASES[lang.toLowerCase()] ?? null;
}

interface Spec {
  keywords: ReadonlySet<string>;
  lineComments: readonly string[];
  blockComment: readonly [string, string] | null;
  /** Quote characters that open strings; backtick strings may span lines. */
  quotes: string;
  tripleQuotes: boolean;
  /** "#" starts a comment only at the start of a word (shell: `a#b` and `$#` are not comments). */
  commentAtWordStart: boolean;
}

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

const SPECS: Record<LanguageFamily, Spec> = {
  python: {
    keywords: words(`False None True and as assert async await break class continue def del elif else except finally
      for from global if import in is lambda match case nonlocal not or pass raise return try while with yield`),
    lineComments: ['#'],
    blockComment: null,
    quotes: `'"`,
    tripleQuotes: true,
    commentAtWordStart: false,
  },
  js: {
    keywords: words(`break case catch class const continue debugger default delete do else export extends finally for
      function if import in instanceof let new return super switch this throw try typeof var void while with yield
      async await of static get set true false null undefined NaN Infinity from as interface type enum implements
      private protected public readonly abstract declare namespace keyof satisfies`),
    lineComments: ['//'],
    blockComment: ['/*', '*/'],
    quotes: `'"\``,
    tripleQuotes: false,
    commentAtWordStart: false,
  },
  json: {
    keywords: words('true false null'),
    lineComments: [],
    blockComment: null,
    quotes: '"',
    tripleQuotes: false,
    commentAtWordStart: false,
  },
  bash: {
    keywords: words(`if then else elif fi for while until do done case esac in function return local export declare
      readonly select time break continue exit`),
    lineComments: ['#'],
    blockComment: null,
    quotes: `'"`,
    tripleQuotes: false,
    commentAtWordStart: true,
  },
  c: {
    keywords: words(`auto break case char const continue default do double else enum extern float for goto if inline
      int long register return short signed sizeof static struct switch typedef union unsigned void volatile while
      class namespace template typename public private protected virtual override new delete this true false
      nullptr null bool import package func var let fn mut impl trait pub use match mod crate self Self interface
      extends implements final try catch throw throws finally go defer chan map range select type string byte
      loop where async await val fun object when is in as using`),
    lineComments: ['//'],
    blockComment: ['/*', '*/'],
    quotes: `'"`,
    tripleQuotes: false,
    commentAtWordStart: false,
  },
};

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Tokens whose texts concatenate to `code`. Unknown languages and very long code give one plain token. */
export function highlight(code: string, lang: string): Token[] {
  const family = languageFamily(lang);
  if (!family || code.length > MAX_HIGHLIGHT_CHARS) return code ? [{ kind: 'plain', text: code }] : [];
  const spec = SPECS[family];
  const out: Token[] = [];
  const n = code.length;
  let plainFrom = 0;
  const emit = (kind: TokenKind, from: number, to: number): void => {
    if (plainFrom < from) out.push({ kind: 'plain', text: code.slice(plainFrom, from) });
    out.push({ kind, text: code.slice(from, to) });
    plainFrom = to;
  };
  let i = 0;
  while (i < n) {
    const c = code.charCodeAt(i);
    const prev = i > 0 ? code.charCodeAt(i - 1) : 10;

    const line = spec.lineComments.find((p) => code.startsWith(p, i));
    if (line && (!spec.commentAtWordStart || prev === 10 || prev === 32 || prev === 9 || prev === 59)) {
      const end = code.indexOf('\n', i);
      const to = end < 0 ? n : end;
      emit('comment', i, to);
      i = to;
      continue;
    }
    if (spec.blockComment && code.startsWith(spec.blockComment[0], i)) {
      const end = code.indexOf(spec.blockComment[1], i + spec.blockComment[0].length);
      const to = end < 0 ? n : end + spec.blockComment[1].length;
      emit('comment', i, to);
      i = to;
      continue;
    }
    if (spec.quotes.includes(code[i]!)) {
      const q = code[i]!;
      if (spec.tripleQuotes && code.startsWith(q + q + q, i)) {
        const end = code.indexOf(q + q + q, i + 3);
        const to = end < 0 ? n : end + 3;
        emit('string', i, to);
        i = to;
        continue;
      }
      const multiline = q === '`';
      let j = i + 1;
      while (j < n) {
        const d = code.charCodeAt(j);
        if (d === 92) {
          j += 2;
          continue;
        }
        if (d === c) {
          j++;
          break;
        }
        if (d === 10 && !multiline) break;
        j++;
      }
      const to = Math.min(j, n);
      emit('string', i, to);
      i = to;
      continue;
    }
    if ((isDigit(c) || (c === 46 && isDigit(code.charCodeAt(i + 1)))) && !isIdentPart(prev)) {
      let j = i + 1;
      while (j < n) {
        const d = code.charCodeAt(j);
        if (isIdentPart(d) || d === 46) j++;
        // Exponent signs: 1e-5, 2E+10.
        else if ((d === 43 || d === 45) && (code[j - 1] === 'e' || code[j - 1] === 'E') && !code.startsWith('0x', i)) j++;
        else break;
      }
      emit('number', i, j);
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(code.charCodeAt(j))) j++;
      if (spec.keywords.has(code.slice(i, j))) emit('keyword', i, j);
      i = j;
      continue;
    }
    i++;
  }
  if (plainFrom < n) out.push({ kind: 'plain', text: code.slice(plainFrom) });
  return out;
}
