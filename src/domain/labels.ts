// The one preference type of the app, and every vocabulary that maps into or out of it.
// Internally a preference is one of five values; the original value a file held is kept beside it.

export const PREFERENCES = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'] as const;
/** A five-point preference: A much better, A better, tie, B better, B much better. */
export type Preference = (typeof PREFERENCES)[number];

export type OriginalLabel = string | number | boolean;

/** A preference with the value it was read from. */
export interface Label {
  value: Preference;
  original: OriginalLabel;
}

export const PREFERENCE_TEXT: Record<Preference, string> = {
  'A>>B': 'A much better',
  'A>B': 'A better',
  'A=B': 'Tie',
  'B>A': 'B better',
  'B>>A': 'B much better',
};

/** The winner with strength collapsed, as the paper's merge does. */
export type Winner = 'A' | 'B' | 'tie';

export function winnerOf(value: Preference): Winner {
  if (value === 'A>>B' || value === 'A>B') return 'A';
  if (value === 'B>>A' || value === 'B>A') return 'B';
  return 'tie';
}

/** Signed strength: -2 (A much better) .. 2 (B much better). */
export function strengthOf(value: Preference): -2 | -1 | 0 | 1 | 2 {
  return (PREFERENCES.indexOf(value) - 2) as -2 | -1 | 0 | 1 | 2;
}

export function preferenceFromStrength(strength: number): Preference {
  const clamped = Math.max(-2, Math.min(2, Math.round(strength)));
  return PREFERENCES[clamped + 2] as Preference;
}

/** Swaps the sides of a preference (A>>B becomes B>>A). */
export function swapPreference(value: Preference): Preference {
  return PREFERENCES[4 - PREFERENCES.indexOf(value)] as Preference;
}

export const MULTIPREF_SCALE: Record<string, Preference> = {
  'A-is-clearly-better': 'A>>B',
  'A-is-slightly-better': 'A>B',
  Tie: 'A=B',
  'B-is-slightly-better': 'B>A',
  'B-is-clearly-better': 'B>>A',
};

// Words seen in public preference data for "A wins", "B wins" and "tie". Matched case-insensitively
// after trimming; the strength is "better" (not "much better") because these carry no strength.
const A_WORDS = [
  'a',
  'a-is-better',
  'a_is_better',
  'a is better',
  'a>b',
  'model_a',
  'model a',
  'response_a',
  'response a',
  'response1',
  'response 1',
  'completion_a',
  'first',
  'left',
  'winner_model_a',
  '1>2',
  // Added: AlpacaFarm-style output names, MT-Bench judge verdicts, arrows written the other way round.
  'output_1',
  'output 1',
  'output1',
  'assistant a',
  'assistant_a',
  '[[a]]',
  'a wins',
  'b<a',
  '2<1',
];
const B_WORDS = [
  'b',
  'b-is-better',
  'b_is_better',
  'b is better',
  'b>a',
  'model_b',
  'model b',
  'response_b',
  'response b',
  'response2',
  'response 2',
  'completion_b',
  'second',
  'right',
  'winner_model_b',
  '2>1',
  'output_2',
  'output 2',
  'output2',
  'assistant b',
  'assistant_b',
  '[[b]]',
  'b wins',
  'a<b',
  '1<2',
];
const TIE_WORDS = [
  'tie',
  'a=b',
  'equal',
  'same',
  'draw',
  'both',
  'neither',
  'tie (bothbad)',
  'tie(bothbad)',
  'both bad',
  'both good',
  'winner_tie',
  'none',
  'no preference',
  'b=a',
  '1=2',
  'tie (both bad)',
  'tie(both bad)',
  'tie_bothbad',
  'bothbad',
  'both_bad',
  '[[tie]]',
];
const STRONG_A_WORDS = ['a>>b', 'a-is-clearly-better', 'a much better', 'a is much better', 'a-is-much-better', 'b<<a'];
const STRONG_B_WORDS = ['b>>a', 'b-is-clearly-better', 'b much better', 'b is much better', 'b-is-much-better', 'a<<b'];
const SLIGHT_A_WORDS = ['a-is-slightly-better', 'a slightly better', 'a is slightly better'];
const SLIGHT_B_WORDS = ['b-is-slightly-better', 'b slightly better', 'b is slightly better'];

const WORD_TABLE: ReadonlyMap<string, Preference> = new Map<string, Preference>([
  ...A_WORDS.map((w) => [w, 'A>B'] as const),
  ...B_WORDS.map((w) => [w, 'B>A'] as const),
  ...TIE_WORDS.map((w) => [w, 'A=B'] as const),
  ...STRONG_A_WORDS.map((w) => [w, 'A>>B'] as const),
  ...STRONG_B_WORDS.map((w) => [w, 'B>>A'] as const),
  ...SLIGHT_A_WORDS.map((w) => [w, 'A>B'] as const),
  ...SLIGHT_B_WORDS.map((w) => [w, 'B>A'] as const),
]);

/** Reads a label written as words (MultiPref scale, A/B/tie words, arrows). Returns null when unknown. */
export function preferenceFromWord(raw: string): Preference | null {
  const exact = MULTIPREF_SCALE[raw.trim()];
  if (exact) return exact;
  return WORD_TABLE.get(raw.trim().toLowerCase()) ?? null;
}

/**
 * Numeric label codes. Files disagree on what the numbers mean, so a code is only read under an
 * explicit scheme; `guessNumericSchemes` lists the schemes that fit a column's values.
 */
export type NumericScheme =
  | 'first-second-tie-120' // 1 = A better, 2 = B better, 0 = tie (PandaLM)
  | 'a-b-tie-012' // 0 = A better, 1 = B better, 2 = tie
  | 'signed-3' // -3..3, negative = A better (HelpSteer2 style)
  | 'signed-2' // -2..2, negative = A better
  | 'binary-a1' // 1 = A better, 0 = B better
  | 'probability-a'; // 0..1 probability that A is better; 0.5 = tie

export const NUMERIC_SCHEME_TEXT: Record<NumericScheme, string> = {
  'first-second-tie-120': '1 = A better, 2 = B better, 0 = tie',
  'a-b-tie-012': '0 = A better, 1 = B better, 2 = tie',
  'signed-3': '-3..3 strength, negative = A better',
  'signed-2': '-2..2 strength, negative = A better',
  'binary-a1': '1 = A better, 0 = B better',
  'probability-a': 'probability that A is better (0..1)',
};

/** Reads a numeric code under a scheme. Returns null when the value is outside the scheme. */
export function preferenceFromNumber(n: number, scheme: NumericScheme): Preference | null {
  if (!Number.isFinite(n)) return null;
  switch (scheme) {
    case 'first-second-tie-120':
      return n === 1 ? 'A>B' : n === 2 ? 'B>A' : n === 0 ? 'A=B' : null;
    case 'a-b-tie-012':
      return n === 0 ? 'A>B' : n === 1 ? 'B>A' : n === 2 ? 'A=B' : null;
    case 'signed-3':
      // -1 and 1 are "slightly better"; 2 and 3 collapse into "much better".
      if (!Number.isInteger(n) || n < -3 || n > 3) return null;
      return n <= -2 ? 'A>>B' : n === -1 ? 'A>B' : n === 0 ? 'A=B' : n === 1 ? 'B>A' : 'B>>A';
    case 'signed-2':
      if (!Number.isInteger(n) || n < -2 || n > 2) return null;
      return preferenceFromStrength(n);
    case 'binary-a1':
      return n === 1 ? 'A>B' : n === 0 ? 'B>A' : null;
    case 'probability-a':
      if (n < 0 || n > 1) return null;
      return n > 0.5 ? 'A>B' : n < 0.5 ? 'B>A' : 'A=B';
  }
}

const SCHEME_DOMAINS: Record<NumericScheme, (n: number) => boolean> = {
  'first-second-tie-120': (n) => n === 0 || n === 1 || n === 2,
  'a-b-tie-012': (n) => n === 0 || n === 1 || n === 2,
  'signed-3': (n) => Number.isInteger(n) && n >= -3 && n <= 3,
  'signed-2': (n) => Number.isInteger(n) && n >= -2 && n <= 2,
  'binary-a1': (n) => n === 0 || n === 1,
  'probability-a': (n) => n >= 0 && n <= 1,
};

/** Every scheme under which all the given numbers are valid codes; more than one means: ask the user. */
export function guessNumericSchemes(values: Iterable<number>): NumericScheme[] {
  const distinct = [...new Set(values)];
  if (distinct.length === 0) return [];
  const fits = (Object.keys(SCHEME_DOMAINS) as NumericScheme[]).filter((s) => distinct.every(SCHEME_DOMAINS[s]));
  // A column of only integers is never a probability column unless it is 0/1, and then binary is the
  // better reading; keep probability only when fractions appear.
  const hasFraction = distinct.some((n) => !Number.isInteger(n));
  return hasFraction ? fits.filter((s) => s === 'probability-a') : fits.filter((s) => s !== 'probability-a');
}

/** How booleans are read: true means "A is better" unless the column says otherwise. */
export type BooleanScheme = 'true-is-a' | 'true-is-b';

export function preferenceFromBoolean(b: boolean, scheme: BooleanScheme = 'true-is-a'): Preference {
  return b === (scheme === 'true-is-a') ? 'A>B' : 'B>A';
}

/** How one label column is read. */
export interface LabelReading {
  numeric?: NumericScheme;
  boolean?: BooleanScheme;
  /** Explicit value map from the column-mapping screen; keys are String(original). Wins over everything. */
  valueMap?: Record<string, Preference | 'missing'>;
}

export type LabelParse = { kind: 'label'; label: Label } | { kind: 'missing' } | { kind: 'invalid'; reason: string };

/** Reads any original label value under a reading. null/undefined/'' are missing, not invalid. */
export function parseLabel(raw: unknown, reading: LabelReading = {}): LabelParse {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { kind: 'missing' };
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return { kind: 'invalid', reason: `label is a ${Array.isArray(raw) ? 'list' : typeof raw}, expected text, a number or a boolean` };
  }
  const mapped = reading.valueMap?.[String(raw)];
  if (mapped === 'missing') return { kind: 'missing' };
  if (mapped) return { kind: 'label', label: { value: mapped, original: raw } };
  if (typeof raw === 'boolean') return { kind: 'label', label: { value: preferenceFromBoolean(raw, reading.boolean), original: raw } };
  if (typeof raw === 'number') return fromNumber(raw, raw, reading);
  const word = preferenceFromWord(raw);
  if (word) return { kind: 'label', label: { value: word, original: raw } };
  const lower = raw.trim().toLowerCase();
  if (lower === 'true' || lower === 'false') {
    return { kind: 'label', label: { value: preferenceFromBoolean(lower === 'true', reading.boolean), original: raw } };
  }
  const asNumber = Number(raw.trim());
  if (raw.trim() !== '' && Number.isFinite(asNumber)) return fromNumber(asNumber, raw, reading);
  return { kind: 'invalid', reason: `unrecognised label "${truncate(raw, 40)}"` };
}

function fromNumber(n: number, original: OriginalLabel, reading: LabelReading): LabelParse {
  if (!reading.numeric) {
    return { kind: 'invalid', reason: `numeric label ${n} needs a code scheme (which number means A, B, tie?)` };
  }
  const value = preferenceFromNumber(n, reading.numeric);
  if (!value) return { kind: 'invalid', reason: `label ${n} is outside the scheme "${NUMERIC_SCHEME_TEXT[reading.numeric]}"` };
  return { kind: 'label', label: { value, original } };
}

/**
 * The human aggregate of several votes: majority over winners with strength collapsed (the paper's rule).
 * No majority (e.g. one A, one B) is a tie. The strength of the result is "better", never "much better".
 */
export function majorityOf(votes: readonly Label[]): Label | null {
  if (votes.length === 0) return null;
  let a = 0;
  let b = 0;
  let t = 0;
  for (const v of votes) {
    const w = winnerOf(v.value);
    if (w === 'A') a++;
    else if (w === 'B') b++;
    else t++;
  }
  const value: Preference = a > b && a > t ? 'A>B' : b > a && b > t ? 'B>A' : 'A=B';
  return { value, original: `majority of ${votes.length}` };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
