#!/usr/bin/env node
// Writes examples/judge-bias.jsonl.gz: 1,200 synthetic preference pairs for the README's worked example, in
// the HyPER / MultiPref layout (both a human label and an LM judge label, and the descriptive tags). Written
// for the project, seeded, so the same script always writes the same file (a test checks the committed one).
//
// What makes it worth routing: the "human" label is the truth by construction (the specific, correct answer
// wins); the synthetic "judge" has the biases LM judges are known for. It prefers the longer answer (a padded,
// vague answer beats a short correct one), and it errs more often on expert-level prompts. A router that
// sends humans the pairs with a large length difference or an expert prompt fixes most of its mistakes.
//
//   node scripts/make-example.mjs [--output examples/judge-bias.jsonl.gz] [--n 1200] [--seed 7]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rng as mulberry32 } from './seeded.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};

const TOPICS = [
  {
    subject: 'Chemistry',
    things: ['titration', 'a buffer solution', 'an exothermic reaction', 'covalent bonding', 'the mole'],
    unit: 'mol',
  },
  { subject: 'Physics', things: ['projectile motion', "Ohm's law", 'terminal velocity', 'a lever', 'heat conduction'], unit: 'm/s' },
  {
    subject: 'Mathematics',
    things: ['a geometric series', 'the chain rule', 'a prime factorisation', 'a median', 'compound interest'],
    unit: '%',
  },
  { subject: 'Computer sciences', things: ['a hash map', 'binary search', 'a race condition', 'tail recursion', 'a B-tree'], unit: 'ms' },
  { subject: 'History', things: ['the printing press', 'a trade route', 'the census', 'a treaty', 'the steam engine'], unit: 'years' },
  { subject: 'Economics', things: ['inflation', 'a price ceiling', 'opportunity cost', 'a tariff', 'marginal utility'], unit: '%' },
  {
    subject: 'Medicine',
    things: ['a blood pressure reading', 'a vaccine schedule', 'dehydration', 'a fever', 'a sprained ankle'],
    unit: 'mg',
  },
  {
    subject: 'Law',
    things: ['a tenancy deposit', 'a warranty', 'a notice period', 'a small-claims filing', 'a power of attorney'],
    unit: 'days',
  },
  { subject: 'Geography', things: ['a river delta', 'a rain shadow', 'a time zone', 'an atoll', 'a monsoon'], unit: 'km' },
  {
    subject: 'Literature',
    things: ['an unreliable narrator', 'a sonnet', 'free indirect speech', 'a frame story', 'an epigraph'],
    unit: 'lines',
  },
];
const PLACES = [
  'Lisbon',
  'Nairobi',
  'Osaka',
  'Quito',
  'Tromsø',
  'Hobart',
  'Tbilisi',
  'Accra',
  'Valparaíso',
  'Tallinn',
  'Da Nang',
  'Windhoek',
];
const PEOPLE = ['Amara', 'Bruno', 'Chen', 'Dilnoza', 'Emeka', 'Farah', 'Goran', 'Hana', 'Idris', 'Jonas', 'Keiko', 'Lucía'];
const LEVELS = ['general public', 'basic domain knowledge', 'expert domain knowledge'];
const OPEN = ['no', 'low', 'moderate', 'high'];
const ASKS = [
  'How does {thing} work, in short?',
  'Explain {thing} to me with one worked number.',
  'What is the most common mistake people make with {thing}?',
  'Give me a quick check for {thing}.',
];
const FLUFF = [
  'This is a really interesting and important question that many people wonder about.',
  'There are many different factors to consider, and it can depend on a lot of things.',
  'In general, it is always a good idea to think carefully and consult reliable sources.',
  'Everyone approaches this a little differently, and there is no single answer.',
  'It is worth keeping in mind that the details can vary from case to case.',
  'Ultimately the best approach depends on your own situation and goals.',
];

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

function pair(i, r) {
  const topic = pick(r, TOPICS);
  const thing = pick(r, topic.things);
  const who = pick(r, PEOPLE);
  const where = pick(r, PLACES);
  const n = 2 + Math.floor(r() * 97);
  const m = 3 + Math.floor(r() * 40);
  const level = r() < 0.3 ? LEVELS[2] : r() < 0.6 ? LEVELS[1] : LEVELS[0];
  const prompt = `${who} in ${where} asks (question ${i + 1}): ${pick(r, ASKS).replace('{thing}', thing)} Use ${n} ${topic.unit} if you need a number.`;
  const good = pick(r, [
    `For ${thing}: start from ${n} ${topic.unit}; after ${m} steps the result is ${n * m} ${topic.unit}, because each step adds ${n}. Check it by dividing back: ${n * m} / ${m} = ${n}.`,
    `${m} rounds of ${n} ${topic.unit} give ${n * m} ${topic.unit} for ${thing}; dividing ${n * m} by ${m} returns ${n}, which confirms it.`,
    `Take ${n} ${topic.unit} per step. With ${m} steps, ${thing} comes to ${n * m} ${topic.unit} (${n} x ${m}).`,
  ]);
  const fluffCount = 1 + Math.floor(r() * 5);
  const fluff = Array.from({ length: fluffCount }, () => pick(r, FLUFF)).join(' ');
  const weak = pick(r, [
    `${fluff} About ${thing}, roughly speaking it is around ${n + m + 1} ${topic.unit} or so.`,
    `${fluff} With ${thing} you usually end up near ${n + m} ${topic.unit}.`,
    `${fluff} I would estimate ${thing} at ${n * m + n} ${topic.unit}, give or take.`,
  ]);
  // The truth: the specific answer is better; now and then it is only slightly better, or a tie.
  const t = r();
  const truth = t < 0.06 ? 'tie' : t < 0.4 ? 'slightly' : 'clearly';
  const goodOnA = r() < 0.5;
  const [a, b] = goodOnA ? [good, weak] : [weak, good];
  const human = truth === 'tie' ? 'Tie' : `${goodOnA ? 'A' : 'B'}-is-${truth}-better`;
  // The judge: picks the longer answer when the gap is large; errs more on expert prompts; otherwise right.
  const longer = a.length > b.length ? 'A' : 'B';
  const gap = Math.abs(a.length - b.length) / Math.max(a.length, b.length);
  const expert = level === LEVELS[2];
  const right = goodOnA ? 'A' : 'B';
  const wrong = goodOnA ? 'B' : 'A';
  let judge;
  if (gap > 0.5 && r() < 0.3) judge = longer;
  else if (expert && r() < 0.25) judge = wrong;
  else if (r() < 0.04) judge = wrong;
  else judge = truth === 'tie' ? (r() < 0.5 ? 'A' : 'B') : right;
  const lm = `${judge}-is-${r() < 0.5 ? 'clearly' : 'slightly'}-better`;
  return {
    prompt_hash: `example-${String(i + 1).padStart(4, '0')}`,
    text: prompt,
    model_a: goodOnA ? 'careful-7b' : 'chatty-13b',
    model_b: goodOnA ? 'chatty-13b' : 'careful-7b',
    completion_a: a,
    completion_b: b,
    pref_human: human,
    pref_gpt4: lm,
    subject_of_expertise: [topic.subject],
    languages: ['English'],
    expertise_level: level,
    open_endedness: pick(r, OPEN),
    safety_concern: topic.subject === 'Medicine' || topic.subject === 'Law' ? (r() < 0.3 ? 'moderate' : 'low') : 'safe',
    complexity_of_intents: r() < 0.25 ? 'complex' : r() < 0.5 ? 'moderate' : 'simple',
    type_of_in_context_material: [],
    format_constraints: r() < 0.2 ? ['one worked number'] : [],
  };
}

/** The example file's text for n pairs and a seed. */
export function exampleJsonl(n = 1200, seed = 7) {
  const r = mulberry32(seed);
  return `${Array.from({ length: n }, (_, i) => JSON.stringify(pair(i, r))).join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const output = arg('output', join(root, 'examples', 'judge-bias.jsonl.gz'));
  const text = exampleJsonl(Number(arg('n', '1200')), Number(arg('seed', '7')));
  mkdirSync(dirname(output), { recursive: true });
  // mtime 0 in the gzip header: the same text always gives the same bytes.
  writeFileSync(output, gzipSync(text, { level: 9 }));
  process.stdout.write(`wrote ${output}: ${text.split('\n').length - 1} pairs\n`);
}
