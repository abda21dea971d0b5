// How far an LM judge can be trusted, measured on the pairs that have both its label and a human one: accuracy and
// Cohen's kappa over winners (A, B, tie), the position-bias rate (verdicts that flip with the order), the
// calibration of its confidence (expected calibration error over ten equal-width bins, Brier score, the bins for a
// reliability plot), and the tags (the paper's features) on whose pairs it errs most.
import { cohenKappa } from '../agreement/kappa';
import { winnerOf, type Preference, type Winner } from '../labels';

export interface CalibrationItem {
  judge: Preference | null;
  human: Preference;
  swapInconsistent: boolean | null;
  confidence: number | null;
  /** The pair's tag ids. */
  tags: readonly string[];
}

export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

export interface CalibrationReport {
  /** Pairs with a human label and a readable judge label. */
  n: number;
  /** Pairs with a human label the judge gave no readable verdict for (not in n). */
  noVerdict: number;
  accuracy: number | null;
  kappa: number | null;
  /** Share of the pairs judged in both orders whose winner flips with the order; null when none was. */
  positionBiasRate: number | null;
  /** Over the pairs with a confidence; null without any. */
  calibration: { n: number; ece: number; brier: number; bins: ReliabilityBin[] } | null;
  /** Tags on at least `minSupport` pairs, by error rate (highest first). */
  byTag: { tag: string; n: number; errorRate: number }[];
}

const WINNERS: readonly Winner[] = ['A', 'B', 'tie'];

export function calibrationReport(
  items: readonly CalibrationItem[],
  opts: { bins?: number; minSupport?: number; topTags?: number } = {},
): CalibrationReport {
  const binCount = opts.bins ?? 10;
  const minSupport = opts.minSupport ?? 10;
  const judged = items.filter((i) => i.judge !== null);
  const correct = (i: CalibrationItem) => winnerOf(i.judge!) === winnerOf(i.human);
  const n = judged.length;
  const accuracy = n === 0 ? null : judged.filter(correct).length / n;
  const kappa =
    n === 0
      ? null
      : cohenKappa(
          judged.map((i) => [winnerOf(i.judge!), winnerOf(i.human)] as const),
          WINNERS,
        ).kappa;
  const both = items.filter((i) => i.swapInconsistent !== null);
  const positionBiasRate = both.length === 0 ? null : both.filter((i) => i.swapInconsistent).length / both.length;

  const withConf = judged.filter((i) => i.confidence !== null);
  let calibration: CalibrationReport['calibration'] = null;
  if (withConf.length > 0) {
    const bins = Array.from({ length: binCount }, (_, b) => ({ from: b / binCount, to: (b + 1) / binCount, n: 0, conf: 0, hits: 0 }));
    let brier = 0;
    for (const i of withConf) {
      const c = Math.min(1, Math.max(0, i.confidence!));
      const hit = correct(i) ? 1 : 0;
      brier += (c - hit) ** 2;
      const bin = bins[Math.min(binCount - 1, Math.floor(c * binCount))]!;
      bin.n++;
      bin.conf += c;
      bin.hits += hit;
    }
    const ece = bins.reduce((s, b) => (b.n === 0 ? s : s + (b.n / withConf.length) * Math.abs(b.hits / b.n - b.conf / b.n)), 0);
    calibration = {
      n: withConf.length,
      ece,
      brier: brier / withConf.length,
      bins: bins
        .filter((b) => b.n > 0)
        .map((b) => ({ from: b.from, to: b.to, n: b.n, meanConfidence: b.conf / b.n, accuracy: b.hits / b.n })),
    };
  }

  const perTag = new Map<string, { n: number; errors: number }>();
  for (const i of judged) {
    const wrong = correct(i) ? 0 : 1;
    for (const t of i.tags) {
      const s = perTag.get(t) ?? { n: 0, errors: 0 };
      s.n++;
      s.errors += wrong;
      perTag.set(t, s);
    }
  }
  const byTag = [...perTag]
    .filter(([, s]) => s.n >= minSupport)
    .map(([tag, s]) => ({ tag, n: s.n, errorRate: s.errors / s.n }))
    .sort((a, b) => b.errorRate - a.errorRate || b.n - a.n || (a.tag < b.tag ? -1 : 1))
    .slice(0, opts.topTags ?? 10);
  return { n, noVerdict: items.length - n, accuracy, kappa, positionBiasRate, calibration, byTag };
}
