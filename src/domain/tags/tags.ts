// The 90 HyPER tags (spec section 2) under the reference implementation's feature strings, in its order,
// and the one binning rule every consumer shares.
import { type ScoreName } from '../instance';

/** Lexical/semantic scores in the order the reference feature list uses (alphabetical). */
export const LEXICAL_TAG_SCORES = [
  'bertscore',
  'bertscore_length',
  'cosine_sim',
  'entity_sim',
  'len_longer',
  'len_shorter',
  'prompt_len',
  'rouge',
  'token_len_diff',
] as const satisfies readonly ScoreName[];

/** Scores that are binned on their percentile rank over the dataset (the rest are binned on the raw value). */
export const RANKED_SCORES: ReadonlySet<ScoreName> = new Set(['prompt_len', 'len_shorter', 'len_longer', 'token_len_diff']);

export const BINS = [
  { min: 0, max: 0.33, label: '0.0', maxLabel: '0.33' },
  { min: 0.33, max: 0.67, label: '0.33', maxLabel: '0.67' },
  { min: 0.67, max: 1, label: '0.67', maxLabel: '1.0' },
] as const;

export const SUBJECTS = [
  'Anthropology',
  'History',
  'Linguistics and language',
  'Philosophy',
  'Religion',
  'Economics',
  'Geography',
  'Political science',
  'Psychology',
  'Sociology',
  'Biology',
  'Chemistry',
  'Earth sciences',
  'Physics',
  'Space sciences',
  'Computer sciences',
  'Logic',
  'System science',
  'Agriculture',
  'Architecture and design',
  'Business',
  'Divinity',
  'Education',
  'Chemical engineering',
  'Civil engineering',
  'Electrical engineering',
  'Materials science and engineering',
  'Mechanical engineering',
  'Environmental studies and forestry',
  'Family and consumer science',
  'Human physical performance and recreation',
  'Journalism',
  'Media studies and communication',
  'Law',
  'Library and museum studies',
  'Medicine and health',
  'Military sciences',
  'Social work',
  'Transportation',
  'Culinary arts',
  'Literature',
  'Performing arts',
  'Visual arts',
  'Mathematics',
  'Public administration',
  'Others',
] as const;

/** The scalar descriptive dimensions and their values, in the reference order. */
export const SCALAR_DIMENSIONS = {
  expertise_level: ['general public', 'basic domain knowledge', 'expert domain knowledge'],
  open_endedness: ['no', 'low', 'moderate', 'high'],
  safety_concern: ['safe', 'low', 'moderate', 'high'],
  complexity_of_intents: ['simple', 'moderate', 'complex'],
} as const;
export type ScalarDimension = keyof typeof SCALAR_DIMENSIONS;

export const OPEN_SET_DIMENSIONS = ['type_of_in_context_material', 'format_constraints'] as const;
export type OpenSetDimension = (typeof OPEN_SET_DIMENSIONS)[number];

/** The LM judge's signals as binary features of a pair (judge/rows.ts), for PPMs that ask for them. */
export const JUDGE_FLAGS = ['swap_inconsistent', 'vote_split', 'no_verdict'] as const;
export type JudgeFlag = (typeof JUDGE_FLAGS)[number];

/** What a tag tests. */
export type TagDefinition =
  | { kind: 'bin'; score: ScoreName; bin: 0 | 1 | 2 }
  | { kind: 'subject'; value: string }
  | { kind: 'language'; value: 'English' }
  | { kind: 'scalar'; dimension: ScalarDimension; value: string }
  | { kind: 'exists'; dimension: OpenSetDimension }
  /** The judge changes its winner with the order / its answers disagree / no answer had a verdict. */
  | { kind: 'judge'; flag: JudgeFlag }
  /** The judge's verdict-token probability in a bin (BINS). */
  | { kind: 'judge-confidence'; bin: 0 | 1 | 2 };

function buildTags(): { ids: string[]; defs: TagDefinition[] } {
  const ids: string[] = [];
  const defs: TagDefinition[] = [];
  for (const score of LEXICAL_TAG_SCORES) {
    BINS.forEach((b, bin) => {
      ids.push(`${score}::min_val=${b.label}|max_val=${b.maxLabel}`);
      defs.push({ kind: 'bin', score, bin: bin as 0 | 1 | 2 });
    });
  }
  for (const value of SUBJECTS) {
    ids.push(`analyzer_closed_set::feature_name=subject_of_expertise|constraints=${value}`);
    defs.push({ kind: 'subject', value });
  }
  ids.push('analyzer_closed_set::feature_name=languages|constraints=English');
  defs.push({ kind: 'language', value: 'English' });
  for (const [dimension, values] of Object.entries(SCALAR_DIMENSIONS) as [ScalarDimension, readonly string[]][]) {
    for (const value of values) {
      ids.push(`analyzer_scalar::feature_name=${dimension}|value=${value}`);
      defs.push({ kind: 'scalar', dimension, value });
    }
  }
  for (const dimension of OPEN_SET_DIMENSIONS) {
    ids.push(`analyzer_open_set::feature_name=${dimension}|check_for_existence=1`);
    defs.push({ kind: 'exists', dimension });
  }
  // Beyond the paper's 90: the LM judge's signals, for PPMs fitted on data an LM judge labelled here.
  for (const flag of JUDGE_FLAGS) {
    ids.push(`judge::feature_name=${flag}`);
    defs.push({ kind: 'judge', flag });
  }
  BINS.forEach((b, bin) => {
    ids.push(`judge_confidence::min_val=${b.label}|max_val=${b.maxLabel}`);
    defs.push({ kind: 'judge-confidence', bin: bin as 0 | 1 | 2 });
  });
  return { ids, defs };
}

const built = buildTags();
/**
 * The tag ids, index = position in a tag vector: the paper's 90 feature strings in the reference order, then the
 * 6 judge features (three flags, three confidence bins).
 */
export const TAG_IDS: readonly string[] = built.ids;
export const TAG_DEFS: readonly TagDefinition[] = built.defs;
export const TAG_COUNT = TAG_IDS.length;
/** The paper's features: the first 90 tags. */
export const PAPER_TAG_COUNT = 90;
export const PAPER_TAG_IDS: readonly string[] = TAG_IDS.slice(0, PAPER_TAG_COUNT);
export const TAG_INDEX: ReadonlyMap<string, number> = new Map(TAG_IDS.map((id, i) => [id, i]));

/**
 * The bin (0, 1, 2) of a value in [0, 1], or null. One rule for everything (the reference code mixes
 * inclusive and exclusive bounds): lower bound inclusive, upper exclusive, the last bin closed at 1;
 * values outside [0, 1] (e.g. a negative cosine) and NaN fall in no bin.
 */
export function binOf(value: number): 0 | 1 | 2 | null {
  if (!(value >= 0 && value <= 1)) return null;
  if (value < 0.33) return 0;
  if (value < 0.67) return 1;
  return 2;
}

/**
 * Percentile ranks as pandas `rank(pct=True)`: average rank of ties divided by n, in (0, 1].
 * NaN inputs get NaN (pandas keeps them out of the ranking and n).
 */
export function percentileRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) order.push(i);
  order.sort((a, b) => values[a]! - values[b]!);
  const out = new Float64Array(n).fill(Number.NaN);
  const m = order.length;
  let i = 0;
  while (i < m) {
    let j = i;
    while (j + 1 < m && values[order[j + 1]!] === values[order[i]!]) j++;
    const avgRank = (i + 1 + (j + 1)) / 2;
    for (let k = i; k <= j; k++) out[order[k]!] = avgRank / m;
    i = j + 1;
  }
  return out;
}

/** Feature strings grouped by score, descriptive dimension or "LM judge" ("cosine_sim: 3 tags (...)"), in first-seen order. */
export function featuresByFamily(features: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const f of features) {
    const def = TAG_DEFS[TAG_INDEX.get(f) ?? -1];
    const family = !def
      ? f
      : def.kind === 'bin'
        ? def.score
        : def.kind === 'subject'
          ? 'subject_of_expertise'
          : def.kind === 'language'
            ? 'languages'
            : def.kind === 'judge' || def.kind === 'judge-confidence'
              ? 'LM judge'
              : def.dimension;
    const detail = f.slice(f.indexOf('::') + 2).replace(/^feature_name=[^|]*\|/, '');
    groups.set(family, [...(groups.get(family) ?? []), detail]);
  }
  return [...groups].map(
    ([family, details]) =>
      `${family}: ${details.length} tag${details.length === 1 ? '' : 's'}${details.length <= 4 ? ` (${details.join(', ')})` : ''}`,
  );
}
