// Reading an analyzer answer: find the JSON (or bare value) in what the model wrote and check it against the
// dimension's allowed values. Tolerated: code fences, <think> blocks, text around the JSON, case differences
// in keys and values, a bare value instead of an object, Python-style quotes and trailing commas. Anything
// else is rejected with a short reason that can be shown to the user and sent back to the model.
import { DESCRIPTIVE_DIMENSIONS, type DescriptiveDimension } from '../../instance';
import { SCALAR_DIMENSIONS, SUBJECTS, type ScalarDimension } from '../tags';
import { MAX_SUBJECTS } from './prompts';

export type AnswerValue = string | string[];
export type ParseResult = { ok: true; value: AnswerValue } | { ok: false; reason: string };

/** Open-set items longer than this are not "short strings" (usually the model echoing the prompt). */
export const MAX_OPEN_ITEM_CHARS = 200;
export const MAX_OPEN_ITEMS = 12;
const MAX_LANGUAGE_CHARS = 40;
const MAX_LANGUAGES = 10;

/** Words that mean "nothing" in a list answer. */
const EMPTY_WORDS = new Set(['', 'none', 'n/a', 'na', 'null', 'nil', 'nothing', 'no', 'empty', '-', '[]']);

/** Short forms models commonly give for a scalar value. */
const SCALAR_ALIASES: Record<ScalarDimension, Record<string, string>> = {
  expertise_level: {
    general: 'general public',
    basic: 'basic domain knowledge',
    expert: 'expert domain knowledge',
    'basic knowledge': 'basic domain knowledge',
    'expert knowledge': 'expert domain knowledge',
  },
  open_endedness: { none: 'no' },
  safety_concern: { none: 'safe', 'no concern': 'safe' },
  complexity_of_intents: {},
};

const SUBJECT_BY_NORM = new Map(SUBJECTS.map((s) => [normSubject(s), s]));

function normSubject(s: string): string {
  return s.toLowerCase().replace(/&/g, ' and ').replace(/\s+/g, ' ').trim();
}

/** Lowercase, `_`/`-` as spaces, collapsed whitespace, without surrounding quotes and trailing punctuation. */
function normValue(s: string): string {
  return s
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/[.!;,]+$/, '')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function normKey(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function quote(s: string, max = 60): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalarDimension(d: DescriptiveDimension): d is ScalarDimension {
  return Object.hasOwn(SCALAR_DIMENSIONS, d);
}

/** Removes reasoning blocks and unwraps the first code fence, if any. */
function unwrap(content: string): string {
  let text = content.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
  const fence = /```[a-zA-Z0-9_-]*[ \t]*\n?([\s\S]*?)```/.exec(text);
  if (fence) text = fence[1]!.trim();
  else if (text.startsWith('```')) text = text.replace(/^```[a-zA-Z0-9_-]*/, '').trim(); // unterminated fence
  return text;
}

/** JSON.parse, then once more after repairing Python-style quotes/literals and trailing commas. */
function parseJsonLoose(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    /* try a repair */
  }
  let repaired = text.replace(/,\s*([}\]])/g, '$1');
  if (!repaired.includes('"')) {
    repaired = repaired
      .replace(/'((?:[^'\\]|\\.)*)'/g, (_m, inner: string) => JSON.stringify(inner.replace(/\\'/g, "'")))
      .replace(/\bNone\b/g, 'null')
      .replace(/\bTrue\b/g, 'true')
      .replace(/\bFalse\b/g, 'false');
  }
  if (repaired === text) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(repaired) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Balanced `{...}` or `[...]` substrings, in order of their start, respecting quoted strings. */
function balancedSpans(text: string, open: '{' | '[', max = 20): string[] {
  const close = open === '{' ? '}' : ']';
  const singleQuotes = !text.includes('"'); // Python-style answers quote with '
  const out: string[] = [];
  for (let start = text.indexOf(open); start !== -1 && out.length < max; start = text.indexOf(open, start + 1)) {
    let depth = 0;
    let inString: string | null = null;
    for (let i = start; i < text.length; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === '\\') i++;
        else if (c === inString) inString = null;
      } else if (c === '"' || (c === "'" && singleQuotes)) inString = c;
      else if (c === open) depth++;
      else if (c === close && --depth === 0) {
        out.push(text.slice(start, i + 1));
        break;
      }
    }
  }
  return out;
}

type Found = { kind: 'json'; value: unknown } | { kind: 'text'; text: string };

/** The JSON the answer contains (whole text, else the first parseable object, else list), or its bare text. */
function locate(text: string): Found {
  const whole = parseJsonLoose(text);
  if (whole.ok) return { kind: 'json', value: whole.value };
  for (const open of ['{', '['] as const) {
    for (const span of balancedSpans(text, open)) {
      const p = parseJsonLoose(span);
      if (p.ok) return { kind: 'json', value: p.value };
    }
  }
  return { kind: 'text', text };
}

/**
 * Checks a model's answer for one dimension. Scalar dimensions give the canonical value (as spelled in
 * SCALAR_DIMENSIONS); subjects give 1-3 canonical subject names; languages a list of names; open sets a list
 * of short strings (possibly empty).
 */
export function parseAnswer(dimension: DescriptiveDimension, content: string): ParseResult {
  if (typeof content !== 'string') return { ok: false, reason: `expected text, got ${kindOf(content)}` };
  const text = unwrap(content);
  if (text === '') return { ok: false, reason: 'the answer is empty' };
  const found = locate(text);
  if (found.kind === 'text') {
    if (/^\s*[{[]/.test(text)) return { ok: false, reason: `the answer is not valid JSON: ${quote(text)}` };
    return fromBareText(dimension, text);
  }
  const v = found.value;
  if (isRecord(v)) {
    const keys = Object.keys(v);
    const key = keys.find((k) => normKey(k) === dimension);
    if (key !== undefined) return checkValue(dimension, v[key]);
    const other = keys.map(normKey).find((k) => (DESCRIPTIVE_DIMENSIONS as readonly string[]).includes(k));
    if (other) return { ok: false, reason: `the answer is about "${other}", not "${dimension}"` };
    return {
      ok: false,
      reason:
        keys.length === 0
          ? `the JSON object is empty; expected the key "${dimension}"`
          : `expected the key "${dimension}", found ${keys.map((k) => quote(k, 30)).join(', ')}`,
    };
  }
  // A bare JSON value (string, list, null) instead of the object.
  return checkValue(dimension, v);
}

/** A non-JSON answer: the value itself ("moderate"), possibly as `dimension: value`, or a comma-separated list. */
function fromBareText(dimension: DescriptiveDimension, text: string): ParseResult {
  let t = text.trim();
  const prefixed = /^["']?([A-Za-z_ -]+)["']?\s*[:=]\s*([\s\S]*)$/.exec(t);
  if (prefixed && normKey(prefixed[1]!) === dimension) {
    const rest = prefixed[2]!.trim();
    const p = parseJsonLoose(rest);
    if (p.ok) return checkValue(dimension, p.value);
    t = rest;
  }
  if (isScalarDimension(dimension)) return checkValue(dimension, t);
  if (/\n/.test(t.trim()) && dimension !== 'subject_of_expertise' && dimension !== 'languages') {
    return { ok: false, reason: `expected a JSON list of short strings, got several lines of text: ${quote(t)}` };
  }
  if (EMPTY_WORDS.has(normValue(t))) return checkValue(dimension, []);
  const parts = t
    .split(dimension === 'subject_of_expertise' || dimension === 'languages' ? /[,\n;]/ : /\n/)
    .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
    .filter((s) => s !== '');
  return checkValue(dimension, parts);
}

function checkValue(dimension: DescriptiveDimension, v: unknown): ParseResult {
  if (isScalarDimension(dimension)) return checkScalar(dimension, v);
  if (dimension === 'subject_of_expertise') return checkSubjects(v);
  if (dimension === 'languages') return checkLanguages(v);
  return checkOpenSet(v);
}

function checkScalar(dimension: ScalarDimension, v: unknown): ParseResult {
  const allowed: readonly string[] = SCALAR_DIMENSIONS[dimension];
  const expected = `one of ${allowed.map((a) => `"${a}"`).join(', ')}`;
  if (Array.isArray(v) && v.length === 1) v = v[0];
  if (typeof v !== 'string') return { ok: false, reason: `expected ${expected}, got ${kindOf(v)}` };
  const n = normValue(v);
  const hit = allowed.find((a) => a === n) ?? SCALAR_ALIASES[dimension][n];
  if (hit === undefined) return { ok: false, reason: `${quote(v)} is not allowed; expected ${expected}` };
  return { ok: true, value: hit };
}

function asStringList(v: unknown, what: string): { ok: true; list: string[] } | { ok: false; reason: string } {
  if (v === null || v === undefined) return { ok: true, list: [] };
  if (typeof v === 'string') return { ok: true, list: EMPTY_WORDS.has(normValue(v)) ? [] : [v] };
  if (!Array.isArray(v)) return { ok: false, reason: `expected a list of ${what}, got ${kindOf(v)}` };
  const list: string[] = [];
  for (const item of v) {
    if (typeof item !== 'string') return { ok: false, reason: `expected a list of ${what}, but it contains ${kindOf(item)}` };
    if (!EMPTY_WORDS.has(normValue(item))) list.push(item.trim());
  }
  return { ok: true, list };
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const k = s.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A list given as one comma-separated string ("Physics, Chemistry") becomes a list. */
function splitCommas(v: unknown): unknown {
  return typeof v === 'string' && /[,;]/.test(v)
    ? v
        .split(/[,;]/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : v;
}

function checkSubjects(v: unknown): ParseResult {
  const l = asStringList(splitCommas(v), 'subjects');
  if (!l.ok) return l;
  const unknown: string[] = [];
  const subjects: string[] = [];
  for (const s of l.list) {
    const hit = SUBJECT_BY_NORM.get(normSubject(s.replace(/^["'`]+|["'`.]+$/g, '')));
    if (hit) subjects.push(hit);
    else unknown.push(s);
  }
  if (unknown.length > 0) {
    return {
      ok: false,
      reason: `${unknown.map((u) => quote(u, 40)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the list of subjects`,
    };
  }
  const unique = dedupe(subjects);
  if (unique.length === 0) return { ok: false, reason: 'no subject given; choose 1 to 3 subjects from the list (or "Others")' };
  if (unique.length > MAX_SUBJECTS) return { ok: false, reason: `${unique.length} subjects given; choose at most ${MAX_SUBJECTS}` };
  return { ok: true, value: unique };
}

function checkLanguages(v: unknown): ParseResult {
  const l = asStringList(splitCommas(v), 'language names');
  if (!l.ok) return l;
  const out: string[] = [];
  for (const raw of l.list) {
    const s = raw
      .replace(/^["'`]+|["'`.]+$/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (s.length > MAX_LANGUAGE_CHARS || !/^[\p{L}][\p{L}\p{M} '()-]*$/u.test(s)) {
      return { ok: false, reason: `${quote(raw, 40)} is not a language name` };
    }
    // "english" -> "English"; names already capitalised ("Chinese (Simplified)") are kept.
    out.push(s === s.toLowerCase() ? s.replace(/(^|[\s(-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()) : s);
  }
  const unique = dedupe(out);
  if (unique.length > MAX_LANGUAGES) return { ok: false, reason: `${unique.length} languages given; that is not plausible for one prompt` };
  return { ok: true, value: unique };
}

function checkOpenSet(v: unknown): ParseResult {
  if (typeof v === 'number' || typeof v === 'boolean') {
    return { ok: false, reason: `expected a list of short strings, got ${kindOf(v)}` };
  }
  const l = asStringList(v, 'short strings');
  if (!l.ok) return l;
  const long = l.list.find((s) => s.length > MAX_OPEN_ITEM_CHARS);
  if (long !== undefined)
    return { ok: false, reason: `an item is too long (${long.length} characters); give short phrases of a few words` };
  const unique = dedupe(l.list);
  if (unique.length > MAX_OPEN_ITEMS)
    return { ok: false, reason: `${unique.length} items given; list at most ${MAX_OPEN_ITEMS} short phrases` };
  return { ok: true, value: unique };
}
