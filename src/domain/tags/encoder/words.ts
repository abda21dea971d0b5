// Word counts for bertscore_length. The reference counts NLTK `word_tokenize` tokens: punkt sentence
// splitting (English model), then NLTKWordTokenizer (improved Treebank rules) on each sentence.
// - The Treebank rules are ported as they are in NLTK 3.8 (same regexes, in the same order; Python's
//   Unicode \w, \d and \b spelled out for JS).
// - punkt is approximated (its trained English parameters are not available here): its candidate breaks
//   (a period, ? or ! followed by whitespace or closing punctuation), with the period decided by rules that
//   mimic its first pass and orthographic heuristic: no break after an initial, a dotted abbreviation
//   ("e.g.", "U.S.") or a listed abbreviation unless a capitalised word follows (never after a title such
//   as "Mr."), no break after a number when a lowercase word follows. Only periods change the count:
//   Treebank splits '?' and '!' off everywhere anyway.
// Counts therefore differ from NLTK only around abbreviations punkt knows and the list lacks (or the other
// way round), by one token per case.

const W = '[\\p{L}\\p{N}_]'; // Python's Unicode \w (letters, digits, underscore)
const NOT_W_BEFORE = `(?<!${W})`;
const NOT_W_AFTER = `(?!${W})`;

type Rule = [RegExp, string];

const STARTING_QUOTES: Rule[] = [
  [/([«“‘„]|[`]+)/gu, ' $1 '],
  [/^"/u, '``'],
  [/(``)/gu, ' $1 '],
  [/([ ([{<])("|'{2})/gu, '$1 `` '],
  [new RegExp(`(')(?!re|ve|ll|m|t|s|d|n)(${W})${NOT_W_AFTER}`, 'giu'), '$1 $2'],
];

const PUNCTUATION: Rule[] = [
  [/([^.])(\.)([\])}>"'»”’ ]*)\s*$/u, '$1 $2 $3 '],
  [/([:,])([^\p{Nd}])/gu, ' $1 $2'],
  [/([:,])$/u, ' $1 '],
  [/\.{2,}/gu, ' $& '],
  [/[;@#$%&]/gu, ' $& '],
  [/([^.])(\.)([\])}>"']*)\s*$/u, '$1 $2$3 '],
  [/[?!]/gu, ' $& '],
  [/([^'])' /gu, "$1 ' "],
  [/[*]/gu, ' $& '],
];

const PARENS_BRACKETS: Rule = [/[\][(){}<>]/gu, ' $& '];
const DOUBLE_DASHES: Rule = [/--/gu, ' -- '];

const ENDING_QUOTES: Rule[] = [
  [/([»”’])/gu, ' $1 '],
  [/''/gu, " '' "],
  [/"/gu, " '' "],
  [/([^' ])('[sS]|'[mM]|'[dD]|') /gu, '$1 $2 '],
  [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /gu, '$1 $2 '],
];

const CONTRACTIONS: Rule[] = [
  ...[
    ['can', 'not'],
    ['d', "'ye"],
    ['gim', 'me'],
    ['gon', 'na'],
    ['got', 'ta'],
    ['lem', 'me'],
    ['more', "'n"],
  ].map(([a, b]): Rule => [new RegExp(`${NOT_W_BEFORE}(${a})(${b})${NOT_W_AFTER}`, 'giu'), ' $1 $2 ']),
  [new RegExp(`${NOT_W_BEFORE}(wan)(na)(?=\\s)`, 'giu'), ' $1 $2 '],
  [new RegExp(` ('t)(is)${NOT_W_AFTER}`, 'giu'), ' $1 $2 '],
  [new RegExp(` ('t)(was)${NOT_W_AFTER}`, 'giu'), ' $1 $2 '],
];

const apply = (text: string, rules: readonly Rule[]) => rules.reduce((t, [re, sub]) => t.replace(re, sub), text);

/** NLTKWordTokenizer.tokenize on one sentence. */
export function treebankTokens(sentence: string): string[] {
  let t = apply(sentence, STARTING_QUOTES);
  t = apply(t, PUNCTUATION);
  t = apply(t, [PARENS_BRACKETS, DOUBLE_DASHES]);
  t = apply(` ${t} `, ENDING_QUOTES);
  t = apply(t, CONTRACTIONS);
  return t.split(/\s+/u).filter(Boolean);
}

// Abbreviations punkt's English model knows (a common subset). Titles are usually followed by a name, so a
// capitalised next word does not make them end a sentence; for the others it does (punkt's orthographic
// heuristic decides so for common words such as "The").
const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'gen', 'gov', 'rev', 'sen', 'rep', 'vs']);
const ABBREVIATIONS = new Set([
  ...TITLES,
  'etc',
  'inc',
  'ltd',
  'co',
  'corp',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'fig',
  'al',
  'approx',
  'dept',
  'ft',
  'no',
  'vol',
  'pp',
  'cf',
  'ca',
  'est',
]);
const DOTTED = /^(?:\p{L}\.)+\p{L}$/u; // e.g, i.e, u.s, a.m, J.D
const NUMBER = /^-?[.,]?\p{Nd}[\p{Nd},.-]*$/u;

// punkt's candidate sentence ends: a period/?/! followed by closing punctuation or by whitespace and a token.
const PERIOD_CONTEXT = /\S*[.?!](?=([)";}\]*:@'({[!?])|\s+(\S+))/gu;

/** Whether the candidate `token` (ending in . ? or !) ends a sentence, given the token after it. */
function endsSentence(token: string, next: string | undefined): boolean {
  if (!token.endsWith('.')) return true;
  if (token.endsWith('..')) return false; // ellipsis: a break or not, Treebank counts it the same
  const stem = token.slice(0, -1).replace(/^[^\p{L}\p{N}]+/u, '');
  const nextUpper = next !== undefined && /^\p{Lu}/u.test(next);
  const nextLower = next !== undefined && /^\p{Ll}/u.test(next);
  if (/^\p{L}$/u.test(stem)) return false; // an initial
  if (NUMBER.test(stem)) return !nextLower; // "in 2023. the" is no break, "1. First" is
  const lower = stem.toLowerCase();
  if (DOTTED.test(stem) || ABBREVIATIONS.has(lower) || ABBREVIATIONS.has(lower.split('-').pop() as string)) {
    return nextUpper && !TITLES.has(lower);
  }
  return true;
}

/** Sentences of a text, an approximation of punkt's English sentence splitter (see the file comment). */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let last = 0;
  const re = new RegExp(PERIOD_CONTEXT.source, 'gu');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = m.index + m[0].length;
    if (endsSentence(m[0], m[2] ?? m[1])) {
      out.push(text.slice(last, end));
      last = m[2] !== undefined ? text.indexOf(m[2], end) : end;
    }
  }
  out.push(text.slice(last));
  return out.map((s) => s.trim()).filter(Boolean);
}

/** Word tokens of a text (NLTK word_tokenize, approximately: see the file comment). */
export function wordTokens(text: string): string[] {
  return sentences(text).flatMap(treebankTokens);
}

export function countWords(text: string): number {
  return wordTokens(text).length;
}
