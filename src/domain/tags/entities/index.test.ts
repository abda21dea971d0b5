import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  clearEntityCache,
  entityCacheStats,
  entitySim,
  extractEntities,
  jaccard,
  MAX_ENTITY_RUN,
  normalizeEntityText,
  withoutLongRuns,
} from './index';

describe('extractEntities (wink-nlp approximation of spaCy NER)', () => {
  it('finds people, places and organisations as proper-noun runs, and dates', () => {
    expect(extractEntities('Barack Obama visited Paris on 12 May 2015 with the United Nations and Microsoft.')).toEqual([
      'barack obama',
      'paris',
      '12 may 2015',
      'united nations',
      'microsoft',
    ]);
    expect(extractEntities('Albert Einstein was born in Ulm, Germany, in 1879 and worked at Princeton University.')).toEqual([
      'albert einstein',
      'ulm',
      'germany',
      '1879',
      'princeton university',
    ]);
  });

  it('keeps numeric entity types, normalises them, and lemmatises nouns', () => {
    const ents = extractEntities('They paid $5 million, 20% of it on Monday, at 10:30 am. It took 3 years.');
    expect(ents).toEqual(expect.arrayContaining(['5 million', '20', 'monday', '1030 am', '3 year']));
    expect(extractEntities('It was the 19th century in the U.S.')).toEqual(['19th century', 'us']);
  });

  it('drops the types spaCy does not report (email, hashtag, mention, emoji) and texts without entities', () => {
    expect(extractEntities('Email me at a@b.com #tag @joe \u{1F600}')).toEqual([]);
    expect(extractEntities('The cat sat on the mat.')).toEqual([]);
    expect(extractEntities('')).toEqual([]);
    expect(extractEntities('   \n ')).toEqual([]);
  });

  it('returns each normalised entity once', () => {
    expect(extractEntities('Paris is big. I love Paris. PARIS!')).toEqual(['paris']);
  });
});

describe('normalizeEntityText', () => {
  it('strips non-alphanumerics, lowercases, drops the word "the" and collapses spaces', () => {
    expect(normalizeEntityText('The  United\nStates')).toBe('united states');
    expect(normalizeEntityText('$5.5 million')).toBe('55 million');
    expect(normalizeEntityText('Z\u00fcrich')).toBe('zrich');
    expect(normalizeEntityText('Netherlands')).toBe('netherlands');
    expect(normalizeEntityText('the')).toBe('');
    expect(normalizeEntityText('%')).toBe('');
  });
});

describe('entitySim', () => {
  it('is 1 when neither text has entities', () => {
    expect(entitySim('', '')).toBe(1);
    expect(entitySim('The cat sat on the mat.', 'A dog barked.')).toBe(1);
  });

  it('is 0 when only one side has entities, or the sets are disjoint', () => {
    expect(entitySim('Barack Obama visited Paris.', 'The cat sat on the mat.')).toBe(0);
    expect(entitySim('Barack Obama visited Paris.', 'Angela Merkel lives in Berlin.')).toBe(0);
  });

  it("is the correct Jaccard overlap (not the reference code's 2|B| - |A∩B| union)", () => {
    // A: albert einstein, ulm, germany, 1879; B: einstein, germany, 1879 -> 2 / 5.
    expect(entitySim('Albert Einstein was born in Ulm, Germany, in 1879.', 'Einstein was born in Germany in 1879.')).toBeCloseTo(2 / 5, 15);
    expect(entitySim('Paris and Berlin in 1990.', 'Berlin and Paris in 1990.')).toBe(1);
    expect(entitySim('Paris', 'Paris')).toBe(1);
  });

  it('jaccard: |A∩B| / |A∪B|, 1 for two empty sets', () => {
    expect(jaccard(new Set(), new Set())).toBe(1);
    expect(jaccard(new Set(['a']), new Set())).toBe(0);
    expect(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBe(0.5);
    expect(jaccard(new Set(['a']), new Set(['a', 'b', 'c', 'd']))).toBe(0.25);
  });
});

const SHARED = path.resolve(process.cwd(), '../shared/data');
const PAIR_FILES = ['pairs/pandalm.jsonl', 'pairs/prd_vicuna80.jsonl'].map((f) => path.join(SHARED, f));

describe.skipIf(!PAIR_FILES.every((f) => existsSync(f)))('entitySim on the shared pairs', () => {
  it('gives a value in [0, 1] for every pair and prints its speed (one core)', () => {
    const pairs: Array<[string, string]> = [];
    for (const f of PAIR_FILES) {
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const p = JSON.parse(line) as { response_a: string; response_b: string };
        pairs.push([p.response_a, p.response_b]);
      }
    }
    entitySim('warm up the model', 'Paris');
    // Without the text cache: every text goes through the NLP pipeline.
    let t0 = performance.now();
    for (const [a, b] of pairs) {
      clearEntityCache();
      entitySim(a, b);
    }
    const uncached = pairs.length / ((performance.now() - t0) / 1000);
    // As used: responses that recur across pairs are analysed once.
    clearEntityCache();
    t0 = performance.now();
    const values = pairs.map(([a, b]) => entitySim(a, b));
    const cached = pairs.length / ((performance.now() - t0) / 1000);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    console.log(
      `entitySim speed: ${Math.round(uncached)} pairs/s without the text cache, ${Math.round(cached)} pairs/s with it ` +
        `(${pairs.length} pairs; mean entity_sim ${mean.toFixed(3)}, ${values.filter((v) => v === 1).length} pairs at 1)`,
    );
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('long runs without whitespace', () => {
  it('withoutLongRuns replaces only runs longer than MAX_ENTITY_RUN, whatever the whitespace around them', () => {
    const ok = 'x'.repeat(MAX_ENTITY_RUN);
    const long = 'y'.repeat(MAX_ENTITY_RUN + 1);
    expect(withoutLongRuns(`a ${ok} b`)).toBe(`a ${ok} b`);
    expect(withoutLongRuns(`a ${long} b`)).toBe('a  .  b');
    expect(withoutLongRuns(long)).toBe(' . ');
    expect(withoutLongRuns(`${long}\n${ok}\t${long}\u3000end`)).toBe(` . \n${ok}\t . \u3000end`);
    const text = 'ok';
    expect(withoutLongRuns(text)).toBe(text);
  });

  it('never hands wink a run longer than MAX_ENTITY_RUN (random texts)', () => {
    let x = 7;
    const alphabet = 'Aa1.-@/ \n';
    for (let t = 0; t < 50; t++) {
      let s = '';
      const len = 200 + ((t * 137) % 3000);
      for (let i = 0; i < len; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        // Mostly non-space characters, so long runs are common.
        s += x % 17 === 0 ? alphabet[7 + (x % 2)] : alphabet[x % 7];
      }
      for (const run of withoutLongRuns(s).split(/\s/)) expect(run.length).toBeLessThanOrEqual(MAX_ENTITY_RUN);
    }
  });

  it('analyses a text once however far apart it recurs in a dataset, with the same result', () => {
    clearEntityCache();
    const text = (i: number) => `Reply ${i}: Ada Lovelace met Charles Babbage in London in 1833, ${i % 7} times.`;
    const first = extractEntities(text(0));
    for (let i = 1; i <= 5000; i++) extractEntities(text(i));
    expect(entityCacheStats()).toEqual({ hits: 0, misses: 5001 });
    // Text 0 again after 5,000 others: answered from the cache, as computed the first time.
    expect(extractEntities(text(0))).toEqual(first);
    expect(entityCacheStats()).toEqual({ hits: 1, misses: 5001 });
    clearEntityCache();
    expect(extractEntities(text(0))).toEqual(first);
    expect(entityCacheStats()).toEqual({ hits: 0, misses: 1 });
  });

  it('a run is no entity and keeps the names on either side apart', () => {
    const run = 'QUJD'.repeat(50_000);
    expect(extractEntities(`Paris ${run} London`)).toEqual(['paris', 'london']);
    expect(extractEntities('A'.repeat(200_000))).toEqual([]);
  });

  it('scores 1 MB responses without spaces of every shape (quadratic before: minutes for 200k characters)', { timeout: 60_000 }, () => {
    clearEntityCache();
    let x = 3;
    const random = (n: number, chars: string) =>
      Array.from({ length: n }, () => {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        return chars[x % chars.length]!;
      }).join('');
    const mb = 1 << 20;
    const shapes = [
      'A'.repeat(mb),
      '-'.repeat(mb),
      random(mb, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      `0x${random(mb, '0123456789abcdef')}`,
      'a.'.repeat(mb / 2),
    ];
    for (const s of shapes) expect(entitySim(s, `${s.slice(0, 100)} Paris`)).toBe(0);
  });
});
