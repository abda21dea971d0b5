// From a pair's judge answers (orders, samples, judges) to its LM label and its judge signals. Verdicts are
// stored as the judge gave them (answer A = the response shown first) and mapped back to the pair's own sides
// here: a "ba" verdict of A>B means the pair's B is better.
import { preferenceFromStrength, strengthOf, swapPreference, winnerOf, type Preference, type Winner } from '../labels';
import { roundHalfAwayFromZero } from '../merge/aggregate';
import type { JudgeOrder } from './templates';

/** One answer of one judge about one pair. */
export interface JudgeVerdict {
  judge: string;
  order: JudgeOrder;
  sample: number;
  /** As shown to the judge; null when the answer could not be read. */
  verdict: Preference | null;
  /** Probability of the verdict token, when the endpoint returned logprobs. */
  confidence: number | null;
}

/** What to do when the two orders disagree about the winner. */
export type InconsistencyPolicy = 'tie' | 'first-order';

export interface JudgeSignals {
  /** The primary judge changes its winner when A and B are swapped (null: it was not asked in both orders). */
  swapInconsistent: boolean | null;
  /** Share of readable answers (every order, sample and judge) that disagree with the majority winner: 0 = unanimous. */
  voteSplit: number;
  /** Mean verdict-token probability over the answers that have one, or null. */
  confidence: number | null;
  answers: number;
  unparseable: number;
}

export interface PairJudgement {
  /** The LM label in the pair's own orientation, or null when no answer could be read. */
  label: Preference | null;
  signals: JudgeSignals;
}

/** A verdict in the pair's own orientation. */
export function orientVerdict(verdict: Preference, order: JudgeOrder): Preference {
  return order === 'ab' ? verdict : swapPreference(verdict);
}

/** The mean strength of some preferences, rounded half away from zero (A>>B and A>B: strengths -2 and -1, mean -1.5, give A>>B). */
function meanPreference(ps: readonly Preference[]): Preference {
  return preferenceFromStrength(roundHalfAwayFromZero(ps.reduce((s, p) => s + strengthOf(p), 0) / ps.length));
}

/** One judge's label over its answers: per order the samples' mean, then the orders combined by the policy. */
function judgeLabel(
  answers: readonly JudgeVerdict[],
  policy: InconsistencyPolicy,
): { label: Preference | null; inconsistent: boolean | null } {
  const byOrder = (o: JudgeOrder) => answers.filter((a) => a.order === o && a.verdict !== null).map((a) => orientVerdict(a.verdict!, o));
  const ab = byOrder('ab');
  const ba = byOrder('ba');
  const abLabel = ab.length ? meanPreference(ab) : null;
  const baLabel = ba.length ? meanPreference(ba) : null;
  if (!abLabel || !baLabel) return { label: abLabel ?? baLabel, inconsistent: null };
  if (winnerOf(abLabel) === winnerOf(baLabel)) return { label: meanPreference([abLabel, baLabel]), inconsistent: false };
  return { label: policy === 'tie' ? 'A=B' : abLabel, inconsistent: true };
}

/**
 * The LM label and signals of one pair. The label is the primary judge's (over both orders, `policy` for orders
 * that disagree), or with `ensemble: 'majority'` the most common winner over the judges' labels (a tie between
 * winners gives A=B).
 */
export function judgePair(
  answers: readonly JudgeVerdict[],
  opts: { primary: string; policy?: InconsistencyPolicy; ensemble?: 'primary' | 'majority' },
): PairJudgement {
  const policy = opts.policy ?? 'tie';
  const judges = [...new Set(answers.map((a) => a.judge))];
  const primary = judgeLabel(
    answers.filter((a) => a.judge === opts.primary),
    policy,
  );
  let label = primary.label;
  if (opts.ensemble === 'majority' && judges.length > 1) {
    const labels = judges
      .map(
        (j) =>
          judgeLabel(
            answers.filter((a) => a.judge === j),
            policy,
          ).label,
      )
      .filter((l): l is Preference => l !== null);
    label = majorityLabel(labels);
  }
  const readable = answers.filter((a) => a.verdict !== null);
  const winners = readable.map((a) => winnerOf(orientVerdict(a.verdict!, a.order)));
  const top = Math.max(0, ...(['A', 'B', 'tie'] as Winner[]).map((w) => winners.filter((x) => x === w).length));
  const confidences = readable.map((a) => a.confidence).filter((c): c is number => c !== null);
  return {
    label,
    signals: {
      swapInconsistent: primary.inconsistent,
      voteSplit: winners.length === 0 ? 0 : 1 - top / winners.length,
      confidence: confidences.length ? confidences.reduce((s, c) => s + c, 0) / confidences.length : null,
      answers: answers.length,
      unparseable: answers.length - readable.length,
    },
  };
}

/** The most common winner among labels (their mean strength within it); a tie between winners gives A=B. */
function majorityLabel(labels: readonly Preference[]): Preference | null {
  if (labels.length === 0) return null;
  const groups = new Map<Winner, Preference[]>();
  for (const l of labels) groups.set(winnerOf(l), [...(groups.get(winnerOf(l)) ?? []), l]);
  const sorted = [...groups].sort((a, b) => b[1].length - a[1].length);
  if (sorted.length > 1 && sorted[0]![1].length === sorted[1]![1].length) return 'A=B';
  return meanPreference(sorted[0]![1]);
}

/**
 * The verdict token's probability from an answer's logprobs: the last generated token that is, trimmed, one of
 * the verdict letters (A, B, C) or "tie", as exp(logprob). Null when there is none.
 */
export function verdictConfidence(tokens: readonly { token: string; logprob: number }[] | undefined): number | null {
  if (!tokens) return null;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!.token.trim()
      .replace(/^\[+|\]+$/g, '')
      .toLowerCase();
    if (t === 'a' || t === 'b' || t === 'c' || t === 'tie') return Math.exp(tokens[i]!.logprob);
  }
  return null;
}
