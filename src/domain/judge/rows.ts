// A judged pair as a row of the project's pairs layout (what `hyper judge --output` writes and the app imports):
// the pair as it was, `pref_lm` (the judge's label), `pref_lm_swapped_order` (the verdict with the responses
// swapped, mapped back to the pair's own sides), `lm_judge`, and the judge signals as `judge_*` fields (which the
// pairs layout keeps in the record's `extra`, where routing reads them back).
import type { PairRecord } from '../instance';
import { MULTIPREF_SCALE, type Preference } from '../labels';
import type { JudgeSignals } from './aggregate';

const SCALE_WORD = Object.fromEntries(Object.entries(MULTIPREF_SCALE).map(([w, p]) => [p, w])) as Record<Preference, string>;

/** The judge signals as stored with a pair. */
export interface StoredSignals {
  judge_swap_inconsistent: boolean | null;
  judge_vote_split: number;
  judge_confidence: number | null;
  judge_answers: number;
  judge_unparseable: number;
}

export function toStoredSignals(s: JudgeSignals): StoredSignals {
  return {
    judge_swap_inconsistent: s.swapInconsistent,
    judge_vote_split: s.voteSplit,
    judge_confidence: s.confidence,
    judge_answers: s.answers,
    judge_unparseable: s.unparseable,
  };
}

/** A pair as `hyper judge` writes it: the record, its combined judgement (combine.ts) and the judge's name. */
export function judgedRow(
  record: PairRecord,
  judgement: { label: Preference | null; signals: StoredSignals; judge: string; swappedOrder: Preference | null },
): Record<string, unknown> {
  const signals = judgement.signals;
  return {
    id: record.id,
    // A conversation stays a conversation (the pairs layout reads a message list back as turns).
    prompt: record.messages ?? record.prompt,
    response_a: record.responseA,
    response_b: record.responseB,
    ...(record.modelA !== undefined ? { model_a: record.modelA } : {}),
    ...(record.modelB !== undefined ? { model_b: record.modelB } : {}),
    ...(record.human ? { pref_human: SCALE_WORD[record.human.value] } : {}),
    ...(record.humanVotes?.length ? { human_votes: record.humanVotes.map((v) => SCALE_WORD[v.value]) } : {}),
    pref_lm: judgement.label ? SCALE_WORD[judgement.label] : null,
    pref_lm_swapped_order: judgement.swappedOrder ? SCALE_WORD[judgement.swappedOrder] : null,
    lm_judge: judgement.judge,
    ...signals,
    ...(Object.keys(record.extra).length ? { extra: record.extra } : {}),
  };
}

/** The judge signals of a record read back from its `extra` (null when it was not judged). */
export function storedSignals(record: Pick<PairRecord, 'extra'>): StoredSignals | null {
  const e = record.extra;
  if (typeof e.judge_answers !== 'number') return null;
  const bool = (v: unknown) => (typeof v === 'boolean' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    judge_swap_inconsistent: bool(e.judge_swap_inconsistent),
    judge_vote_split: num(e.judge_vote_split) ?? 0,
    judge_confidence: num(e.judge_confidence),
    judge_answers: e.judge_answers,
    judge_unparseable: num(e.judge_unparseable) ?? 0,
  };
}

/**
 * A record with a judge run's result laid over it: its LM label where the file gave none (the file's own label
 * wins), and the judge signals in `extra` (where routing and calibration read them).
 */
export function withJudgeResult<R extends Pick<PairRecord, 'lm' | 'lmJudge' | 'extra'>>(
  record: R,
  result: { label: Preference | null; signals: StoredSignals; judge: string } | undefined,
): R {
  if (!result) return record;
  const out: R = { ...record, extra: { ...record.extra, ...result.signals } };
  if (!record.lm && result.label) {
    out.lm = { value: result.label, original: `judge: ${result.judge}` };
    out.lmJudge = result.judge;
  }
  return out;
}
