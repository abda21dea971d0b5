// Porter stemmer as NLTK's `PorterStemmer()` computes it in its default mode (NLTK_EXTENSIONS), which is
// the stemmer Google's `rouge-score` uses with `use_stemmer=True`. Written from the algorithm description
// (Porter 1980 plus the deviations NLTK documents), not from NLTK's code. Where NLTK's default mode departs
// from the published algorithm, the rule is marked "NLTK:" below:
// - a pool of irregular forms is looked up before anything else (skies -> sky, dying -> die, news -> news ...);
// - words of one or two letters are returned unchanged;
// - step 1a: a four-letter word in -ies keeps its -ie (ties -> tie, but ponies -> poni);
// - step 1b: -ied becomes -ie in four-letter words and -i otherwise, before any other step 1b rule;
// - *o (ends consonant-vowel-consonant) also holds for a two-letter stem vowel+consonant;
// - step 1c: y -> i only after a consonant that is not the first letter (happy -> happi, enjoy, sky unchanged);
// - step 2: -alli -> -al is tried first (and step 2 rerun); -bli -> -ble replaces -abli -> -able;
//   extra rules -fulli -> -ful and -logi -> -log (the l counted with the stem for the m > 0 test).
// Steps 3, 4, 5a and 5b are the published ones (5a tries m > 1, then m = 1 and not *o).
//
// Input: a lowercase word (the caller lowercases; NLTK lowercases too, so lowercase input gives identical
// output). Pure and allocation-light; callers that stem many tokens should cache (see rouge.ts).

const IRREGULAR_FORMS: ReadonlyMap<string, string> = new Map([
  ['skies', 'sky'],
  ['sky', 'sky'],
  ['dying', 'die'],
  ['lying', 'lie'],
  ['tying', 'tie'],
  ['news', 'news'],
  ['innings', 'inning'],
  ['inning', 'inning'],
  ['outings', 'outing'],
  ['outing', 'outing'],
  ['cannings', 'canning'],
  ['canning', 'canning'],
  ['howe', 'howe'],
  ['proceed', 'proceed'],
  ['exceed', 'exceed'],
  ['succeed', 'succeed'],
]);

const CH_A = 97,
  CH_E = 101,
  CH_I = 105,
  CH_O = 111,
  CH_U = 117,
  CH_Y = 121;
const CH_W = 119,
  CH_X = 120,
  CH_L = 108,
  CH_S = 115,
  CH_Z = 122,
  CH_T = 116;

function isPlainVowel(c: number): boolean {
  return c === CH_A || c === CH_E || c === CH_I || c === CH_O || c === CH_U;
}

/** Is w[i] a consonant? y counts as a consonant at the start and after a vowel, as a vowel after a consonant. */
function isConsonant(w: string, i: number): boolean {
  const c = w.charCodeAt(i);
  if (isPlainVowel(c)) return false;
  if (c !== CH_Y) return true;
  // A run of y's alternates; walk back to the first non-y letter to decide.
  let j = i;
  while (j > 0 && w.charCodeAt(j - 1) === CH_Y) j--;
  // w[j] is the first y of the run: a consonant at position 0 or after a vowel, a vowel after a consonant.
  const firstIsConsonant = j === 0 ? true : !isConsonant(w, j - 1);
  return (i - j) % 2 === 0 ? firstIsConsonant : !firstIsConsonant;
}

/** m of the prefix w[0, end): the number of vowel-to-consonant transitions. */
function measure(w: string, end: number): number {
  let m = 0;
  let prevConsonant = true; // nothing before the start counts as "not a vowel"
  for (let i = 0; i < end; i++) {
    const c = w.charCodeAt(i);
    const consonant: boolean = isPlainVowel(c) ? false : c === CH_Y ? i === 0 || !prevConsonant : true;
    if (consonant && !prevConsonant && i > 0) m++;
    prevConsonant = consonant;
  }
  return m;
}

/** *v*: the prefix w[0, end) contains a vowel. */
function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

/** *d: the prefix w[0, end) ends in a double consonant. */
function endsDoubleConsonant(w: string, end: number): boolean {
  return end >= 2 && w.charCodeAt(end - 1) === w.charCodeAt(end - 2) && isConsonant(w, end - 1);
}

/** *o: the prefix w[0, end) ends consonant-vowel-consonant, the last not w, x or y (NLTK: or is exactly vowel-consonant). */
function endsCvc(w: string, end: number): boolean {
  if (end >= 3) {
    const last = w.charCodeAt(end - 1);
    return (
      isConsonant(w, end - 3) && !isConsonant(w, end - 2) && isConsonant(w, end - 1) && last !== CH_W && last !== CH_X && last !== CH_Y
    );
  }
  return end === 2 && !isConsonant(w, 0) && isConsonant(w, 1);
}

/** Condition on the word and the length of the stem left once the suffix is removed. */
type Condition = (w: string, stemEnd: number) => boolean;
type Rule = readonly [suffix: string, replacement: string, condition: Condition];

const mPositive: Condition = (w, end) => measure(w, end) > 0;
const mAboveOne: Condition = (w, end) => measure(w, end) > 1;

/**
 * The first rule whose suffix ends the word decides: if its condition holds the suffix is replaced,
 * otherwise the word is returned unchanged (no later rule is tried).
 */
function applyFirstMatching(w: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (w.endsWith(suffix)) {
      const stemEnd = w.length - suffix.length;
      return condition(w, stemEnd) ? w.slice(0, stemEnd) + replacement : w;
    }
  }
  return w;
}

function step1a(w: string): string {
  if (w.endsWith('ies') && w.length === 4) return w.slice(0, 1) + 'ie'; // NLTK: ties -> tie, dies -> die
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ies')) return w.slice(0, -2);
  if (w.endsWith('ss')) return w;
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

function step1b(w: string): string {
  if (w.endsWith('ied')) return w.length === 4 ? w.slice(0, 1) + 'ie' : w.slice(0, -2); // NLTK
  if (w.endsWith('eed')) {
    const end = w.length - 3;
    return measure(w, end) > 0 ? w.slice(0, -1) : w;
  }
  let stem: string;
  if (w.endsWith('ed') && hasVowel(w, w.length - 2)) stem = w.slice(0, -2);
  else if (w.endsWith('ing') && hasVowel(w, w.length - 3)) stem = w.slice(0, -3);
  else return w;
  // Tidy-up after -ed / -ing was removed.
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return stem + 'e';
  const n = stem.length;
  if (endsDoubleConsonant(stem, n)) {
    const last = stem.charCodeAt(n - 1);
    return last === CH_L || last === CH_S || last === CH_Z ? stem : stem.slice(0, -1);
  }
  return measure(stem, n) === 1 && endsCvc(stem, n) ? stem + 'e' : stem;
}

function step1c(w: string): string {
  // NLTK: (*c and not c) Y -> I, i.e. the letter before y is a consonant and not the first letter.
  if (!w.endsWith('y')) return w;
  const end = w.length - 1;
  return end > 1 && isConsonant(w, end - 1) ? w.slice(0, end) + 'i' : w;
}

const STEP2_RULES: readonly Rule[] = [
  ['ational', 'ate', mPositive],
  ['tional', 'tion', mPositive],
  ['enci', 'ence', mPositive],
  ['anci', 'ance', mPositive],
  ['izer', 'ize', mPositive],
  ['bli', 'ble', mPositive], // NLTK (and Porter's later versions): instead of abli -> able
  ['alli', 'al', mPositive],
  ['entli', 'ent', mPositive],
  ['eli', 'e', mPositive],
  ['ousli', 'ous', mPositive],
  ['ization', 'ize', mPositive],
  ['ation', 'ate', mPositive],
  ['ator', 'ate', mPositive],
  ['alism', 'al', mPositive],
  ['iveness', 'ive', mPositive],
  ['fulness', 'ful', mPositive],
  ['ousness', 'ous', mPositive],
  ['aliti', 'al', mPositive],
  ['iviti', 'ive', mPositive],
  ['biliti', 'ble', mPositive],
  ['fulli', 'ful', mPositive], // NLTK
  ['logi', 'log', (w, end) => measure(w, end + 1) > 0], // NLTK: the l stays with the stem for the test
];

function step2(w: string): string {
  // NLTK: -alli -> -al first, then step 2 again on the result.
  if (w.endsWith('alli') && measure(w, w.length - 4) > 0) return step2(w.slice(0, -2));
  return applyFirstMatching(w, STEP2_RULES);
}

const STEP3_RULES: readonly Rule[] = [
  ['icate', 'ic', mPositive],
  ['ative', '', mPositive],
  ['alize', 'al', mPositive],
  ['iciti', 'ic', mPositive],
  ['ical', 'ic', mPositive],
  ['ful', '', mPositive],
  ['ness', '', mPositive],
];

const STEP4_RULES: readonly Rule[] = [
  ['al', '', mAboveOne],
  ['ance', '', mAboveOne],
  ['ence', '', mAboveOne],
  ['er', '', mAboveOne],
  ['ic', '', mAboveOne],
  ['able', '', mAboveOne],
  ['ible', '', mAboveOne],
  ['ant', '', mAboveOne],
  ['ement', '', mAboveOne],
  ['ment', '', mAboveOne],
  ['ent', '', mAboveOne],
  [
    'ion',
    '',
    (w, end) => {
      if (end === 0) return false;
      const c = w.charCodeAt(end - 1);
      return (c === CH_S || c === CH_T) && measure(w, end) > 1;
    },
  ],
  ['ou', '', mAboveOne],
  ['ism', '', mAboveOne],
  ['ate', '', mAboveOne],
  ['iti', '', mAboveOne],
  ['ous', '', mAboveOne],
  ['ive', '', mAboveOne],
  ['ize', '', mAboveOne],
];

function step5a(w: string): string {
  if (!w.endsWith('e')) return w;
  const end = w.length - 1;
  const m = measure(w, end);
  if (m > 1 || (m === 1 && !endsCvc(w, end))) return w.slice(0, end);
  return w;
}

function step5b(w: string): string {
  // (m > 1 and *d and *L) -> single letter; m is taken on the word without its last l.
  return w.endsWith('ll') && measure(w, w.length - 1) > 1 ? w.slice(0, -1) : w;
}

/** Stem of a lowercase word, identical to NLTK's `PorterStemmer().stem(word)` (default NLTK_EXTENSIONS mode). */
export function porterStem(word: string): string {
  const irregular = IRREGULAR_FORMS.get(word);
  if (irregular !== undefined) return irregular;
  if (word.length <= 2) return word;
  let w = step1a(word);
  w = step1b(w);
  w = step1c(w);
  w = step2(w);
  w = applyFirstMatching(w, STEP3_RULES);
  w = applyFirstMatching(w, STEP4_RULES);
  w = step5a(w);
  return step5b(w);
}
