// Bench inputs that look like real data and never repeat: each pair starts from a pair of ../shared/data/pairs and
// every text gets seeded word-level edits with words from another pair (a word replaced, inserted or dropped), until
// it is a text no earlier pair had. Caches keyed by text (the entity cache, the tokenizer's) then pay what a user's
// real dataset costs. `resampled` gives the old inputs (whole pairs drawn again), kept as an extra row.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rng } from './harness.mjs';

/** The shared pairs the inputs are made from, or null where ../shared is absent. */
export function sharedPairs() {
  const shared = resolve(process.cwd(), '../shared/data/pairs');
  const sources = ['pandalm.jsonl', 'prd_vicuna80.jsonl'].map((f) => resolve(shared, f)).filter(existsSync);
  if (sources.length === 0) return null;
  return sources.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );
}

/** 53-bit FNV-1a-style hash of a text (two 32-bit lanes), for telling texts apart without keeping them. */
function hashOf(s) {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff);
}

const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v ?? ''));

/** One word-level edit of `s` with a word drawn from `donor`: replace, insert or drop (keeps the spacing). */
function edit(s, donor, random) {
  const words = s.split(/(\s+)/);
  const from = donor.split(/\s+/).filter(Boolean);
  const word = from.length ? from[Math.floor(random() * from.length)] : 'and';
  const slots = words.map((w, i) => (w.trim() ? i : -1)).filter((i) => i >= 0);
  if (slots.length === 0) return `${s} ${word}`;
  const at = slots[Math.floor(random() * slots.length)];
  const op = random();
  if (op < 0.5) words[at] = word;
  else if (op < 0.85 || slots.length < 3) words[at] = `${words[at]} ${word}`;
  else words[at] = '';
  return words.join('');
}

/** Field names of the shared pairs' layout; other layouts name theirs (the demo's HyPER layout, PairRecords). */
const SHARED_FIELDS = { id: 'id', prompt: 'prompt', a: 'response_a', b: 'response_b' };
export const DEMO_FIELDS = { id: 'prompt_hash', prompt: 'text', a: 'completion_a', b: 'completion_b' };
export const RECORD_FIELDS = { id: 'id', prompt: 'prompt', a: 'responseA', b: 'responseB' };

/**
 * A maker of `n` unique pairs: call `next()` n times. Every prompt and every response is a text seen nowhere else
 * in the run (checked by hash). `stats()` counts them. `fields` names the id, prompt and response fields.
 */
export function uniquePairMaker(rows, seed, fields = SHARED_FIELDS) {
  const f = fields;
  const random = rng(seed);
  const seen = new Set();
  let made = 0;
  const fresh = (s, donor) => {
    let out = s;
    for (let edits = 0; edits < 3 || seen.has(hashOf(out)); edits++) out = edit(out, donor, random);
    seen.add(hashOf(out));
    return out;
  };
  return {
    next() {
      const base = rows[Math.floor(random() * rows.length)];
      const donor = rows[Math.floor(random() * rows.length)];
      const i = made++;
      return {
        ...base,
        [f.id]: `${base[f.id]}#${i}`,
        [f.prompt]: fresh(text(base[f.prompt]), text(donor[f.prompt])),
        [f.a]: fresh(text(base[f.a]), text(donor[f.b])),
        [f.b]: fresh(text(base[f.b]), text(donor[f.a])),
      };
    },
    /** Texts made so far, all distinct: prompts and responses. */
    stats: () => ({ pairs: made, uniqueTexts: seen.size }),
  };
}

/** The old inputs: whole pairs drawn again with new ids (texts repeat). */
export function resampledPairMaker(rows, seed) {
  const random = rng(seed);
  let made = 0;
  return {
    next() {
      const row = rows[Math.floor(random() * rows.length)];
      return { ...row, id: `${row.id}#${made++}` };
    },
    stats: () => ({ pairs: made, uniqueTexts: null }),
  };
}
