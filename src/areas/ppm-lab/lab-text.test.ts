import { describe, expect, it } from 'vitest';
import { TAG_COUNT, TAG_IDS } from '../../domain/tags/tags';
import { mulberry32 } from '../../domain/random';
import { parseCountsCsv, parseResultsCsv, PROXY_SCORE_COLUMN } from '../../domain/ppm-lab';
import {
  countsCsv,
  countsTableOf,
  defaultScoreColumn,
  fitDataFromProxy,
  fittedPpmName,
  formatMetric,
  parseBudgetList,
  proxyResultsCsv,
  resultsColumns,
  type ProxyRow,
} from './lab-text';

function rows(k: number, seed: number): ProxyRow[] {
  const rand = mulberry32(seed);
  return Array.from({ length: k }, (_, i) => {
    const counts = Int32Array.from({ length: TAG_COUNT }, () => Math.floor(rand() * 50));
    return {
      id: `c${String(i).padStart(3, '0')}`,
      accuracy: 0.7 + rand() * 0.2,
      trainAccuracy: 0.9 + rand() * 0.1,
      humanInMix: counts[0]!,
      mixSize: 600,
      counts,
    };
  });
}

describe('parseBudgetList', () => {
  it('reads fractions and percentages', () => {
    expect(parseBudgetList('0.1, 0.25 50%;1')).toEqual({ budgets: [0.1, 0.25, 0.5, 1] });
    expect(parseBudgetList('.5')).toEqual({ budgets: [0.5] });
  });
  it('names the entry it cannot read', () => {
    expect(parseBudgetList('0.1, 1.5')).toEqual({ error: expect.stringContaining('"1.5"') });
    expect(parseBudgetList('0.1, abc')).toEqual({ error: expect.stringContaining('"abc"') });
    expect(parseBudgetList('  ')).toEqual({ error: expect.stringContaining('at least one') });
  });
});

describe('resultsColumns', () => {
  it('offers the columns that are neither ids nor counts as scores', () => {
    const text = `candidate_id,"${TAG_IDS[0]}",Overall,Chat Hard\nc000,3,0.5,0.4\n`;
    const r = resultsColumns(text);
    expect(r.columns).toEqual(['candidate_id', TAG_IDS[0], 'Overall', 'Chat Hard']);
    expect(r.scores).toEqual(['Overall', 'Chat Hard']);
    expect(defaultScoreColumn(r.scores)).toBe('Overall');
  });
  it('reads tab-separated headers and prefers the proxy score when there is no Overall', () => {
    const r = resultsColumns(`id\tnotes\t${PROXY_SCORE_COLUMN}\n`);
    expect(r.scores).toEqual(['notes', PROXY_SCORE_COLUMN]);
    expect(defaultScoreColumn(r.scores)).toBe(PROXY_SCORE_COLUMN);
    expect(defaultScoreColumn([])).toBeUndefined();
  });
});

describe('files of a session run', () => {
  it('counts.csv and results.csv read back through the domain parsers into the same fitting rows as the direct path', () => {
    const proxy = rows(12, 7);
    const counts = new Int32Array(proxy.length * TAG_COUNT);
    proxy.forEach((r, i) => counts.set(r.counts, i * TAG_COUNT));
    const session = { ids: proxy.map((r) => r.id), counts };

    const table = parseCountsCsv(countsCsv(session));
    expect(table.ids).toEqual(session.ids);
    expect(Array.from(table.X)).toEqual(Array.from(counts));

    const direct = fitDataFromProxy(proxy);
    for (const joinWith of [table, countsTableOf(session)]) {
      const parsed = parseResultsCsv(proxyResultsCsv(proxy), { score: PROXY_SCORE_COLUMN, counts: joinWith });
      expect(parsed.ids).toEqual(direct.ids);
      expect(Array.from(parsed.X)).toEqual(Array.from(direct.X));
      expect(Array.from(parsed.y)).toEqual(Array.from(direct.y));
      expect(parsed.features).toEqual(direct.features);
    }
  });
});

describe('naming and choosing a fit', () => {
  const spread = (mean: number) => ({ mean, std: 0, folds: [mean] });
  it('names the kind, the score and the CV Spearman', () => {
    expect(fittedPpmName({ kind: 'linear', cv: { spearman: spread(0.9134), rmse: spread(0.01) } }, 'Overall')).toBe(
      'Fitted linear PPM (Overall, CV ρ 0.91)',
    );
    expect(fittedPpmName({ kind: 'quadratic', cv: { spearman: spread(Number.NaN), rmse: spread(0.01) } }, PROXY_SCORE_COLUMN)).toBe(
      'Fitted quadratic PPM (proxy_accuracy, CV ρ n/a)',
    );
  });
  it('formats metrics', () => {
    expect(formatMetric(0.91349)).toBe('0.913');
    expect(formatMetric(0.00001234)).toBe('1.2e-5');
    expect(formatMetric(Number.NaN)).toBe('n/a');
  });
});
