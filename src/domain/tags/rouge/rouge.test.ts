import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rouge1, rouge1F, rougeTokens } from './rouge';

// Expected values computed with rouge-score's tokenize + rouge1 logic on NLTK 3.8's PorterStemmer.
describe('rougeTokens', () => {
  it('lowercases, splits on non-[a-z0-9] and stems tokens longer than 3 characters', () => {
    expect(rougeTokens('If you have any questions about my rate, please let me know.')).toEqual([
      'if',
      'you',
      'have',
      'any',
      'question',
      'about',
      'my',
      'rate',
      'pleas',
      'let',
      'me',
      'know',
    ]);
    expect(rougeTokens('Flies and skies: dying, lying & tying.')).toEqual(['fli', 'and', 'sky', 'die', 'lie', 'tie']);
    // Tokens of three characters or fewer are not stemmed ("fly" stays, "flies" -> "fli").
    expect(rougeTokens('fly sky die lie tie')).toEqual(['fly', 'sky', 'die', 'lie', 'tie']);
  });

  it('treats non-ASCII letters as separators, after full Unicode lowercasing', () => {
    // U+212A KELVIN SIGN lowercases to "k"; "é" and "ï" are separators.
    expect(rougeTokens('\u212AKelvin caf\u00e9 na\u00efve 2nd-place 3.14')).toEqual([
      'kkelvin',
      'caf',
      'na',
      've',
      '2nd',
      'place',
      '3',
      '14',
    ]);
    // U+0130 lowercases to "i" + U+0307 (a separator).
    expect(rougeTokens('\u0130stanbul')).toEqual(['i', 'stanbul']);
    expect(rougeTokens('  \n\t!!! --- ')).toEqual([]);
  });
});

describe('rouge1F', () => {
  const cases: ReadonlyArray<readonly [string, string, number]> = [
    ['The cat sat on the mat.', 'The cat is on the mat!', 0.8333333333333334],
    ['If you have any questions about my rate, please let me know.', 'If you have any questions, please let me know.', 0.8571428571428571],
    ['Running runners ran; the runner runs.', 'A runner is running.', 0.4],
    ['the the the', 'the', 0.5],
    ['Generalization GENERALIZATIONS generalize', 'general generally', 0.8],
    ['Flies and skies: dying, lying & tying.', 'fly sky die lie tie', 0.7272727272727272],
    ['\u212AKelvin caf\u00e9 na\u00efve 2nd-place 3.14', 'kkelvin cafe naive 2nd place 3 14', 0.6666666666666666],
    ['abc abd', 'xyz', 0],
  ];
  it.each(cases)('%j vs %j = %d', (prediction, target, f) => {
    expect(rouge1F(prediction, target)).toBe(f);
  });

  it('gives 0 when either side (or both) has no tokens, as rouge-score does', () => {
    expect(rouge1F('', '')).toBe(0);
    expect(rouge1F('hello', '')).toBe(0);
    expect(rouge1F('', 'hello')).toBe(0);
    expect(rouge1F('!!! ---', '...')).toBe(0);
  });

  it('reports precision against the prediction and recall against the target', () => {
    const s = rouge1('the cat', 'the cat sat on the mat');
    expect(s.precision).toBe(1);
    expect(s.recall).toBeCloseTo(2 / 6, 15);
    expect(rouge1F('a b c', 'a b c')).toBe(1);
  });

  it('is unaffected by the stem cache being full (results stay identical)', () => {
    const text = Array.from({ length: 60_000 }, (_, i) => `word${i}s`).join(' ');
    expect(rouge1F(text, text)).toBe(1);
    expect(rouge1F('questions questions', 'question')).toBeCloseTo(2 / 3, 15);
  });
});

const SHARED = path.resolve(process.cwd(), '../shared/data');
const REFERENCE = path.join(SHARED, 'parity/lexical-reference.jsonl');
const PAIR_FILES = ['pairs/pandalm.jsonl', 'pairs/prd_vicuna80.jsonl'].map((f) => path.join(SHARED, f));

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

describe.skipIf(!existsSync(REFERENCE) || !PAIR_FILES.every((f) => existsSync(f)))(
  'rouge1F parity with rouge-score (shared fixture)',
  () => {
    it('matches rouge1_f within 1e-6 on >= 98% of pairs and within 0.02 on all', () => {
      const pairs = new Map<string, { response_a: string; response_b: string }>();
      for (const f of PAIR_FILES) for (const p of readJsonl<{ id: string; response_a: string; response_b: string }>(f)) pairs.set(p.id, p);
      const reference = readJsonl<{ id: string; rouge1_f: number }>(REFERENCE);
      let joined = 0;
      let exact = 0;
      let close = 0;
      let worst = 0;
      const misses: string[] = [];
      for (const r of reference) {
        const p = pairs.get(r.id);
        if (!p) continue;
        joined++;
        const err = Math.abs(rouge1F(p.response_a, p.response_b) - r.rouge1_f);
        worst = Math.max(worst, err);
        if (err <= 1e-6) exact++;
        else if (misses.length < 10) misses.push(`${r.id}: err ${err}`);
        if (err <= 0.02) close++;
      }
      console.log(
        `rouge1F parity: ${joined} pairs joined; within 1e-6: ${exact} (${((100 * exact) / joined).toFixed(2)}%); ` +
          `within 0.02: ${close}; max abs error ${worst.toExponential(2)}${misses.length ? `; e.g. ${misses.join(', ')}` : ''}`,
      );
      expect(joined).toBe(reference.length);
      expect(exact / joined).toBeGreaterThanOrEqual(0.98);
      expect(close).toBe(joined);
    });

    it('prints its speed on the shared pairs (one core)', () => {
      const pairs: Array<[string, string]> = [];
      for (const f of PAIR_FILES)
        for (const p of readJsonl<{ response_a: string; response_b: string }>(f)) pairs.push([p.response_a, p.response_b]);
      const bytes = pairs.reduce((s, [a, b]) => s + a.length + b.length, 0);
      let sink = 0;
      const rounds = 5;
      const t0 = performance.now();
      for (let r = 0; r < rounds; r++) for (const [a, b] of pairs) sink += rouge1F(a, b);
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `rouge1F speed: ${Math.round((rounds * pairs.length) / seconds)} pairs/s ` +
          `(${pairs.length} pairs x ${rounds}, mean ${Math.round(bytes / pairs.length)} chars a pair)`,
      );
      expect(Number.isFinite(sink)).toBe(true);
    });
  },
);
