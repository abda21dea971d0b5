// The README's worked example uses examples/judge-bias.jsonl.gz; it must be exactly what the seeded script writes.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { exampleJsonl } from './make-example.mjs';

describe('examples/judge-bias.jsonl.gz', () => {
  it('is the output of scripts/make-example.mjs (1,200 pairs, seed 7), with both labels and the judge biased as documented', () => {
    const committed = gunzipSync(readFileSync(new URL('../examples/judge-bias.jsonl.gz', import.meta.url))).toString('utf8');
    expect(committed).toBe((exampleJsonl as (n?: number, seed?: number) => string)(1200, 7));
    const rows = committed
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { pref_human: string; pref_gpt4: string; completion_a: string; completion_b: string });
    const winner = (v: string) => (v === 'Tie' ? 'tie' : v[0]);
    const decided = rows.filter((r) => r.pref_human !== 'Tie');
    const agree = decided.filter((r) => winner(r.pref_human) === winner(r.pref_gpt4)).length / decided.length;
    expect(agree).toBeGreaterThan(0.6);
    expect(agree).toBeLessThan(0.8);
    // The judge's errors lean to the longer answer.
    const wrong = decided.filter((r) => winner(r.pref_human) !== winner(r.pref_gpt4));
    const pickedLonger = wrong.filter((r) => winner(r.pref_gpt4) === (r.completion_a.length > r.completion_b.length ? 'A' : 'B')).length;
    expect(pickedLonger / wrong.length).toBeGreaterThan(0.6);
  });
});
