// The paper prior: a linear PPM whose per-tag weights are the paper's Table 13 gains (the quadratic PPM's
// average gain when 100 random instances carrying a tag go to humans, x1e-3 RewardBench per instance).
// The paper publishes no PPM coefficients, so this model ranks mixes by summed per-tag gains; its output is
// a relative gain in Table 13's units, not a calibrated RewardBench score.
import { HyperError } from '../errors';
import { PAPER_TAG_COUNT, PAPER_TAG_IDS, TAG_INDEX } from '../tags/tags';
import { buildLinearPpm } from './builders';

export const TABLE13_HEADER = ['feature', 'gain_x1e-3'] as const;
/** The one tag the paper's Table 13 has no row for (its weight is 0). */
export const TABLE13_ABSENT_TAG = 'bertscore::min_val=0.0|max_val=0.33';

export const PAPER_PRIOR = {
  id: 'paper-prior',
  name: 'Paper prior (Table 13 tag gains, linear)',
  file: 'paper-prior.onnx',
  kind: 'linear',
  output: 'uncalibrated relative gain (x1e-3 RewardBench per instance, paper Table 13)',
  source:
    'Miranda et al., "Hybrid Preferences" (arXiv 2410.19133, ACL 2025), Table 13: average gain of the paper\'s quadratic PPM per tag, used as linear weights (bias 0); ' +
    'bertscore [0, 0.33] has no row and weighs 0',
} as const;

export type PaperPriorErrorCode = 'bad-header' | 'bad-row' | 'unknown-tag' | 'duplicate-tag' | 'bad-number' | 'missing-tags';

/** A Table 13 TSV that cannot be read. `line` is 1-based (0 when the problem is not on one line). */
export class PaperPriorParseError extends HyperError<PaperPriorErrorCode> {
  override readonly name = 'PaperPriorParseError';
  constructor(
    code: PaperPriorErrorCode,
    readonly line: number,
    message: string,
  ) {
    super(code, line > 0 ? `table 13 TSV, line ${line}: ${message}` : `table 13 TSV: ${message}`);
  }
}

/**
 * Parses the Table 13 TSV (header `feature\tgain_x1e-3`, one row per tag, tags as in TAG_IDS) into one
 * weight per paper tag (the first 90 of TAG_IDS, in order). The bertscore [0, 0.33] row is absent in the paper and gets 0; any other
 * missing tag, an unknown or repeated tag, or a value that is not a finite number is an error.
 */
export function paperPriorWeights(tsvText: string): Float32Array {
  const lines = tsvText.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((c) => c.trim());
  if (header.length !== 2 || header[0] !== TABLE13_HEADER[0] || header[1] !== TABLE13_HEADER[1]) {
    throw new PaperPriorParseError('bad-header', 1, `header is "${lines[0] ?? ''}", expected "${TABLE13_HEADER.join('\\t')}"`);
  }
  const weights = new Float32Array(PAPER_TAG_COUNT);
  const seenAt = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (cells.length !== 2) {
      throw new PaperPriorParseError(
        'bad-row',
        lineNo,
        `expected 2 tab-separated columns (feature, gain), found ${cells.length}: "${line}"`,
      );
    }
    const tag = cells[0]!.trim();
    const valueText = cells[1]!.trim();
    const t = TAG_INDEX.get(tag);
    if (t === undefined || t >= PAPER_TAG_COUNT)
      throw new PaperPriorParseError('unknown-tag', lineNo, `unknown tag "${tag}" (not one of the 90 feature strings)`);
    const first = seenAt.get(tag);
    if (first !== undefined) throw new PaperPriorParseError('duplicate-tag', lineNo, `tag "${tag}" already appeared on line ${first}`);
    seenAt.set(tag, lineNo);
    const value = valueText === '' ? Number.NaN : Number(valueText);
    if (!Number.isFinite(value))
      throw new PaperPriorParseError('bad-number', lineNo, `gain "${valueText}" for "${tag}" is not a finite number`);
    weights[t] = value;
  }
  const missing = PAPER_TAG_IDS.filter((id) => id !== TABLE13_ABSENT_TAG && !seenAt.has(id));
  if (missing.length > 0) {
    const shown = missing
      .slice(0, 3)
      .map((m) => `"${m}"`)
      .join(', ');
    throw new PaperPriorParseError('missing-tags', 0, `${missing.length} tag(s) have no row: ${shown}${missing.length > 3 ? ', ...' : ''}`);
  }
  return weights;
}

/** The paper prior as a PPM file (linear, the 90 paper tags in TAG_IDS order, bias 0). */
export function buildPaperPriorPpm(tsvText: string): Uint8Array {
  return buildLinearPpm({
    weights: paperPriorWeights(tsvText),
    bias: 0,
    features: PAPER_TAG_IDS,
    output: PAPER_PRIOR.output,
    source: PAPER_PRIOR.source,
    graphName: 'paper_prior_ppm',
  });
}
