// Reading a judge's answer. Accepted: a bare "A" / "B" / "tie" (also "C" for tie), the bracketed [[A]] / [[B]] /
// [[C]] form, JSON {"winner": "A" | "B" | "tie"}, and for the five-point template the MultiPref scale words
// (A-is-clearly-better ... B-is-clearly-better). The verdict is the last one the answer gives (a judge often
// restates the options before deciding). An answer that gives none, or two different ones on its last line, is
// unparseable: it is kept with its text and counted, never guessed.
import { MULTIPREF_SCALE, type Preference } from '../labels';
import type { VerdictScale } from './templates';

export type Verdict =
  { ok: true; preference: Preference; form: 'brackets' | 'json' | 'scale-word' | 'letter' } | { ok: false; reason: string };

const WINNER: Record<string, Preference> = { a: 'A>B', b: 'B>A', c: 'A=B', tie: 'A=B' };

const SCALE_WORDS = Object.keys(MULTIPREF_SCALE);
const SCALE_RE = new RegExp(`\\b(${SCALE_WORDS.map((w) => w.replace(/-/g, '[-_ ]')).join('|')})\\b`, 'gi');

function lastMatch(re: RegExp, text: string): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m;
  return last;
}

function fromJson(text: string): Preference | null | 'bad' {
  const start = text.lastIndexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return null;
  let v: unknown;
  try {
    v = JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || !('winner' in v)) return null;
  const w = String((v as { winner: unknown }).winner)
    .trim()
    .toLowerCase();
  return WINNER[w] ?? 'bad';
}

/** The judge's verdict in the order it was shown (answer A = the first response shown). */
export function parseVerdict(answer: string, scale: VerdictScale): Verdict {
  const text = answer.trim();
  if (text === '') return { ok: false, reason: 'the answer is empty' };
  if (scale === 'five-point') {
    const m = lastMatch(SCALE_RE, text);
    if (m) {
      const word = SCALE_WORDS.find((w) => w.toLowerCase() === m[1]!.toLowerCase().replace(/[_ ]/g, '-'));
      if (word) return { ok: true, preference: MULTIPREF_SCALE[word]!, form: 'scale-word' };
    }
  }
  const brackets = lastMatch(/\[\[\s*(A|B|C|tie)\s*\]\]/gi, text);
  if (brackets) return { ok: true, preference: WINNER[brackets[1]!.toLowerCase()]!, form: 'brackets' };
  const json = fromJson(text);
  if (json === 'bad') return { ok: false, reason: 'the JSON "winner" is not "A", "B" or "tie"' };
  if (json) return { ok: true, preference: json, form: 'json' };
  // A bare letter or "tie": the whole answer, or the last line on its own (optionally "Verdict: B", "B.").
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1]!.replace(/^(final\s+)?(verdict|answer|winner)\s*[:=-]\s*/i, '')
    .replace(/[.!*"'`]+$/g, '')
    .replace(/^[*"'`]+/, '')
    .trim();
  const w = WINNER[last.toLowerCase()];
  if (w) return { ok: true, preference: w, form: 'letter' };
  return {
    ok: false,
    reason: `no verdict found (expected [[A]], [[B]] or [[C]], {"winner": ...}${scale === 'five-point' ? ', a scale word' : ''} or a last line "A", "B" or "tie")`,
  };
}
