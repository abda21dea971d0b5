// How likely the LM judge's label of a pair is wrong, from the signals stored with it (rows.ts), for the `risk` and
// `hybrid` routing strategies. The rule, until a model of the judge's errors is fitted on human labels:
//   - no readable verdict: 1 (the pair has no LM label worth keeping);
//   - otherwise the largest of: 0.5 when the judge changes its winner with the order of the responses (its label is
//     then a tie or the first order's, no better than a coin), the vote split over orders, samples and judges, and
//     1 - the verdict token's probability when the endpoint returned logprobs.
import type { PairRecord } from '../instance';
import { storedSignals, type StoredSignals } from './rows';

export function judgeRisk(signals: StoredSignals, hasLabel: boolean): number {
  if (!hasLabel || signals.judge_answers === signals.judge_unparseable) return 1;
  return Math.max(
    signals.judge_swap_inconsistent ? 0.5 : 0,
    signals.judge_vote_split,
    signals.judge_confidence === null ? 0 : 1 - signals.judge_confidence,
  );
}

/** The risk of every record (dataset order), and how many records carry no judge signals (their risk is NaN). */
export function riskOfRecords(records: readonly Pick<PairRecord, 'extra' | 'lm'>[]): { risk: Float64Array; missing: number } {
  let missing = 0;
  const risk = Float64Array.from(records, (r) => {
    const s = storedSignals(r);
    if (!s) {
      missing++;
      return Number.NaN;
    }
    return judgeRisk(s, r.lm !== undefined);
  });
  return { risk, missing };
}
