// HyPER's `entity_sim` score: Jaccard overlap of the named-entity sets of responses A and B.
//
// The reference computes it with spaCy `en_core_web_lg` (statistical NER: PERSON, NORP, FAC, ORG, GPE, LOC,
// PRODUCT, EVENT, WORK_OF_ART, LAW, LANGUAGE, DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL).
// We run offline in the browser with wink-nlp + wink-eng-lite-web-model (MIT), which only APPROXIMATES it:
// - wink's own NER finds CARDINAL, DATE, DURATION, MONEY, ORDINAL, PERCENT and TIME (kept), and EMAIL, URL,
//   HASHTAG, MENTION, EMOJI, EMOTICON (dropped: spaCy does not report those);
// - wink has no people/place/organisation recogniser, so every maximal run of proper nouns (wink POS tag
//   PROPN, outside the spans above) counts as one entity. That stands in for PERSON/ORG/GPE/NORP/LOC/... with
//   different boundaries ("Dr. Smith" where spaCy gives "Smith"), no types, and different recall (a
//   title-cased heading may yield false entities; a lowercase name is missed).
// Values therefore differ from the reference's per pair; the score has the same definition and range.
//
// Normalisation (the spec's "strip non-alphanumerics, lowercase, lemmatise"): nouns are replaced by wink's
// lemma (plural -> singular, as the reference's WordNet noun lemmatiser), tokens are joined with their original
// spacing, every character outside [0-9A-Za-z ] is removed (as the reference's regex), the text is
// lowercased, the word "the" is dropped and spaces are collapsed. Entities that normalise to "" are ignored.
// (The reference deletes every "the" substring, even inside words such as "Netherlands", before
// lowercasing; we drop only the whole word.)
//
// Score: |A ∩ B| / |A ∪ B|, and 1.0 when neither text has an entity. The reference computes the union as
// 2|B| - |A ∩ B| (B counted twice), a bug the spec tells us not to copy.
//
// Long runs without whitespace (base64, hashes, minified code, long URLs, "AAAA..."): several of wink's
// token regexes (abbreviation, e-mail, ordinal) backtrack quadratically over one such run, so a 200,000-
// character run took minutes. A run longer than MAX_ENTITY_RUN characters is not a name, a number or a date,
// so it is replaced by " . " before wink sees the text: the run yields no entity, and the "." keeps the
// proper nouns on either side of it from being joined into one. Runs that long are rare in real responses
// (34 of 8,222 responses in the project's shared data have one, mostly URLs, which wink drops anyway).
//
// The model (about 4 MB of JSON; importing it takes ~45 ms in Node) is imported here and nowhere else: only a
// thread that imports this module pays for it. The NLP instance (~50 ms more) is built on first use, once
// per thread (worker). Pipeline: only 'pos' and 'ner' (no sentence boundaries, negation, sentiment
// or custom-entity passes), the cheapest configuration that still yields proper nouns.
import winkNLP, { type ItemToken, type ItsFunction, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { hash53 } from '../../util';

/** wink NER types kept as entities (those spaCy also reports; wink's DURATION is spaCy's DATE). */
const KEPT_NER_TYPES: ReadonlySet<string> = new Set(['CARDINAL', 'DATE', 'DURATION', 'MONEY', 'ORDINAL', 'PERCENT', 'TIME']);

let nlp: WinkMethods | null = null;

function getNlp(): WinkMethods {
  nlp ??= winkNLP(model, ['pos', 'ner']);
  return nlp;
}

/** Builds the NLP instance now (it otherwise happens on the first call); for warming a worker up. */
export function preloadEntityModel(): void {
  getNlp();
}

/** Lowercased, [0-9a-z ]-only, "the"-free, space-collapsed form of an entity's text ("" if nothing is left). */
export function normalizeEntityText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[^0-9A-Za-z ]+/g, '')
    .toLowerCase()
    .split(' ')
    .filter((w) => w !== '' && w !== 'the')
    .join(' ');
}

/** Normalised entities of `text`, distinct, in order of first appearance. */
export function extractEntities(text: string): string[] {
  return [...entitySetOf(text)];
}

/**
 * Entity sets of the texts seen in this thread, by a 53-bit hash of the text and its length: responses recur
 * across pairs (the same answer compared with several others, anywhere in a dataset), so each distinct text goes
 * through the NLP pipeline once per worker. A key is two numbers, not the text, so the cache does not keep the
 * dataset's texts alive (200k texts hold ~20 MB). A hash and length that match a different text would give it
 * that text's entities: with 53 bits and the length, the chance is ~1e-6 over a million distinct texts. At most
 * ENTITY_CACHE_MAX entries; then it starts again.
 */
const ENTITY_CACHE_MAX = 1_000_000;
let cached = new Map<number, { length: number; set: ReadonlySet<string> }>();

let hits = 0;
let misses = 0;

function entitySetOf(text: string): ReadonlySet<string> {
  const key = hash53(text);
  const hit = cached.get(key);
  if (hit !== undefined && hit.length === text.length) {
    hits++;
    return hit.set;
  }
  misses++;
  const set = computeEntities(text);
  if (cached.size >= ENTITY_CACHE_MAX) cached = new Map();
  cached.set(key, { length: text.length, set });
  return set;
}

/** Empties the per-thread cache of entity sets (for measurements; results do not depend on it, see above). */
export function clearEntityCache(): void {
  cached = new Map();
  hits = 0;
  misses = 0;
}

/** Texts answered from the cache and texts analysed since the last clearEntityCache. */
export function entityCacheStats(): { hits: number; misses: number } {
  return { hits, misses };
}

/** Longest whitespace-free run handed to wink (see the note at the top). */
export const MAX_ENTITY_RUN = 64;
const WHITESPACE = /\s/;

/**
 * `text` with every whitespace-free run longer than MAX_ENTITY_RUN replaced by " . ". A loop, not a regex:
 * V8's regex engine overflows its stack on a multi-megabyte run.
 */
export function withoutLongRuns(text: string): string {
  let out: string[] | null = null;
  let copied = 0;
  let runStart = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    const space = c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && WHITESPACE.test(text[i]!));
    if (!space) continue;
    if (i - runStart > MAX_ENTITY_RUN) {
      out ??= [];
      out.push(text.slice(copied, runStart), ' . ');
      copied = i;
    }
    runStart = i + 1;
  }
  if (out === null) return text;
  out.push(text.slice(copied));
  return out.join('');
}

function computeEntities(text: string): ReadonlySet<string> {
  const winkInstance = getNlp();
  const its = winkInstance.its;
  const doc = winkInstance.readDoc(withoutLongRuns(text));
  const tokens = doc.tokens();
  const n = tokens.length();
  if (n === 0) return new Set();
  const pos = tokens.out(its.pos) as string[];

  // Spans [start, end] (token indexes, inclusive) of the entities, in text order.
  const spans: Array<[number, number]> = [];
  const inNerSpan = new Uint8Array(n);
  const nerSpans = doc.entities().out(its.span) as unknown as Array<[number, number]>;
  const nerTypes = doc.entities().out(its.type) as string[];
  for (let k = 0; k < nerSpans.length; k++) {
    const [start, end] = nerSpans[k]!;
    inNerSpan.fill(1, start, end + 1);
    if (KEPT_NER_TYPES.has(nerTypes[k]!)) spans.push([start, end]);
  }
  for (let i = 0; i < n; i++) {
    if (pos[i] !== 'PROPN' || inNerSpan[i]) continue;
    const start = i;
    while (i + 1 < n && pos[i + 1] === 'PROPN' && !inNerSpan[i + 1]) i++;
    spans.push([start, i]);
  }
  spans.sort((x, y) => x[0] - y[0]);

  // wink's typings give its.lemma a signature that ItsFunction does not accept; it works as a token its-function.
  const lemma = its.lemma as unknown as ItsFunction<string>;
  const seen = new Set<string>();
  for (const [start, end] of spans) {
    let raw = '';
    for (let i = start; i <= end; i++) {
      const token: ItemToken = tokens.itemAt(i);
      if (i > start && (token.out(its.precedingSpaces) as string) !== '') raw += ' ';
      raw += (pos[i] === 'NOUN' ? token.out(lemma) : token.out(its.value)) as string;
    }
    const normal = normalizeEntityText(raw);
    if (normal !== '') seen.add(normal);
  }
  return seen;
}

/** Jaccard overlap of two entity sets; 1 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

/** HyPER's entity_sim: Jaccard overlap of the normalised named entities of `a` and `b`; 1.0 if neither has any. */
export function entitySim(a: string, b: string): number {
  return jaccard(entitySetOf(a), entitySetOf(b));
}
