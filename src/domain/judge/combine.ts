// Several judges on one dataset: every stored answer (any model, any template) grouped by judge, and each pair's
// LM label and signals from all of them together. A judge is one model with one template ("model (template)"):
// the same model asked through an edited template is another judge. The label is the primary judge's (both
// orders, the inconsistency policy), or with `ensemble: 'majority'` the judges' majority; the vote split counts
// every answer of every judge, so judges that disagree raise a pair's risk.
import type { Preference } from '../labels';
import { winnerOf } from '../labels';
import { judgePair, orientVerdict, type InconsistencyPolicy, type JudgeVerdict } from './aggregate';
import type { JudgeAnswer } from './run';
import { toStoredSignals, type StoredSignals } from './rows';

export type EnsembleMode = 'primary' | 'majority';

export interface EnsembleSettings {
  /** The judge whose label counts (and whose order flips are the pair's swap inconsistency). */
  primary: string;
  ensemble: EnsembleMode;
  policy: InconsistencyPolicy;
}

/** A judge's name as stored with its labels and shown to people. */
export const judgeName = (a: Pick<JudgeAnswer, 'model' | 'templateId'>): string => `${a.model} (${a.templateId})`;

/** One judge's label of a pair, beside the combined one (for the calibration of each judge). */
export interface PerJudgeLabel {
  label: Preference | null;
  swapInconsistent: boolean | null;
}

export interface CombinedJudgement {
  idx: number;
  label: Preference | null;
  signals: StoredSignals;
  /** What produced the label: the primary judge's name, or "majority of N judges". */
  judge: string;
  perJudge: Record<string, PerJudgeLabel>;
  /** The primary judge's verdict with the responses swapped (first sample), in the pair's own orientation. */
  swappedOrder: Preference | null;
}

export interface JudgeSummary {
  judge: string;
  model: string;
  templateId: string;
  answers: number;
  unparseable: number;
  /** Pairs with a readable label from this judge. */
  pairs: number;
  /** Of this judge's pairs judged in both orders, the share whose winner flips with the order. */
  flipRate: number | null;
  /** Share of the pairs both this judge and the primary labelled on which their winners agree. */
  agreesWithPrimary: number | null;
  cost: number | null;
  lastAt: number;
}

const verdictOf = (a: JudgeAnswer): JudgeVerdict => ({
  judge: judgeName(a),
  order: a.order,
  sample: a.sample,
  verdict: a.verdict,
  confidence: a.confidence,
});

/**
 * The combined judgement of every pair with answers. `pairs` maps a dataset position to the pair's id: an answer
 * stored for another pair at that position (the dataset was replaced) is not counted.
 */
export function combineJudges(
  answers: Iterable<JudgeAnswer>,
  pairs: ReadonlyMap<number, string>,
  settings: EnsembleSettings,
): CombinedJudgement[] {
  const byIdx = new Map<number, JudgeAnswer[]>();
  for (const a of answers) {
    if (pairs.get(a.idx) !== a.pairId) continue;
    const list = byIdx.get(a.idx);
    if (list) list.push(a);
    else byIdx.set(a.idx, [a]);
  }
  const out: CombinedJudgement[] = [];
  for (const [idx, list] of [...byIdx].sort((x, y) => x[0] - y[0])) {
    const verdicts = list.map(verdictOf);
    const judges = [...new Set(verdicts.map((v) => v.judge))].sort();
    const perJudge: Record<string, PerJudgeLabel> = {};
    for (const j of judges) {
      const one = judgePair(
        verdicts.filter((v) => v.judge === j),
        { primary: j, policy: settings.policy },
      );
      perJudge[j] = { label: one.label, swapInconsistent: one.signals.swapInconsistent };
    }
    const all = judgePair(verdicts, { primary: settings.primary, policy: settings.policy, ensemble: settings.ensemble });
    // Without an answer from the primary judge, the pair keeps no label in primary mode (the other judges' signals
    // still count): a label from a judge the lead did not choose is never passed off as the primary's. In majority
    // mode the judges with a readable label vote; one such judge alone gives its own label, under its own name.
    const voters = judges.filter((j) => perJudge[j]!.label !== null);
    const majority = settings.ensemble === 'majority' && voters.length > 1;
    const single = settings.ensemble === 'majority' && voters.length === 1 ? voters[0]! : null;
    const swapped = list.find((a) => judgeName(a) === settings.primary && a.order === 'ba' && a.sample === 0 && a.verdict !== null);
    out.push({
      idx,
      label: single ? perJudge[single]!.label : all.label,
      signals: toStoredSignals(all.signals),
      judge: majority ? `majority of ${voters.length} judges (${voters.join(', ')})` : (single ?? settings.primary),
      perJudge,
      swappedOrder: swapped ? orientVerdict(swapped.verdict!, 'ba') : null,
    });
  }
  return out;
}

/** Each judge's answers, cost, order flips and agreement with the primary judge, for the judges table. */
export function summarizeJudges(
  answers: Iterable<JudgeAnswer>,
  combined: readonly CombinedJudgement[],
  primary: string | null,
): JudgeSummary[] {
  const byJudge = new Map<string, JudgeSummary>();
  for (const a of answers) {
    const name = judgeName(a);
    const s = byJudge.get(name) ?? {
      judge: name,
      model: a.model,
      templateId: a.templateId,
      answers: 0,
      unparseable: 0,
      pairs: 0,
      flipRate: null,
      agreesWithPrimary: null,
      cost: null,
      lastAt: 0,
    };
    s.answers++;
    if (a.verdict === null) s.unparseable++;
    if (a.cost !== null) s.cost = (s.cost ?? 0) + a.cost;
    s.lastAt = Math.max(s.lastAt, a.at);
    byJudge.set(name, s);
  }
  for (const s of byJudge.values()) {
    let both = 0;
    let flips = 0;
    let shared = 0;
    let agree = 0;
    for (const c of combined) {
      const mine = c.perJudge[s.judge];
      if (!mine?.label) continue;
      s.pairs++;
      if (mine.swapInconsistent !== null) {
        both++;
        if (mine.swapInconsistent) flips++;
      }
      const theirs = primary ? c.perJudge[primary]?.label : null;
      if (theirs && primary !== s.judge) {
        shared++;
        if (winnerOf(theirs) === winnerOf(mine.label)) agree++;
      }
    }
    s.flipRate = both ? flips / both : null;
    s.agreesWithPrimary = s.judge === primary ? 1 : shared ? agree / shared : null;
  }
  return [...byJudge.values()].sort((a, b) => a.judge.localeCompare(b.judge));
}
