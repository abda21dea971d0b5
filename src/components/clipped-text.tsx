// Untrusted text of any length, shown so that the page stays responsive: long texts are clipped ("Show all"),
// and long runs without whitespace get break opportunities (Chromium's layout of a 200,000-character run
// without spaces took minutes; a 50 MB one crashed the renderer).
import { useState } from 'react';
import { Markdown } from './markdown';

/** Characters shown before "Show all". */
export const SHOWN_CHARS = 20_000;
/** Characters shown before "Show all" when the text holds a long run without whitespace (slow to lay out). */
export const SHOWN_CHARS_LONG_RUN = 2_000;
/** Even "Show all" stops here: a renderer does not survive laying out tens of megabytes. */
export const MAX_SHOWN_CHARS = 1_000_000;

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000;

/**
 * Runs of 80+ characters without whitespace get a zero-width break opportunity every 40: with only
 * overflow-wrap to break them, Chromium's layout of a long unbroken run grows much faster than its length.
 * A loop, not a regex: V8's regex engine overflows its stack on a multi-megabyte run.
 */
export function breakLongRuns(s: string): string {
  const out: string[] = [];
  let copied = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    if (isSpace(s.charCodeAt(i))) {
      run = 0;
      continue;
    }
    run++;
    // In a run of 80 or more, a break after every 40th character (counted from the run's start), never between
    // the two halves of a surrogate pair.
    if (run % 40 === 0 && hasRunOf(s, i - run + 1, 80)) {
      let at = i;
      const c = s.charCodeAt(at);
      if (c >= 0xd800 && c <= 0xdbff && at + 1 < s.length) at++;
      out.push(s.slice(copied, at + 1), '\u200b');
      copied = at + 1;
      run += at - i;
      i = at;
    }
  }
  if (copied === 0) return s;
  out.push(s.slice(copied));
  return out.join('');
}

/** Whether the run starting at `start` is at least `n` characters long. */
function hasRunOf(s: string, start: number, n: number): boolean {
  const end = Math.min(s.length, start + n);
  if (end - start < n) return false;
  for (let i = start; i < end; i++) if (isSpace(s.charCodeAt(i))) return false;
  return true;
}

/** How much of a text to show at first: less when it holds a run of 1,000 characters without whitespace. */
export function shownChars(text: string): number {
  let run = 0;
  const n = Math.min(text.length, SHOWN_CHARS + 1000);
  for (let i = 0; i < n; i++) {
    run = isSpace(text.charCodeAt(i)) ? 0 : run + 1;
    if (run >= 1000) return SHOWN_CHARS_LONG_RUN;
  }
  return SHOWN_CHARS;
}

/**
 * A text clipped to shownChars(text) with a "Show all" button (which still stops at MAX_SHOWN_CHARS), as
 * Markdown (the annotator's view) or as plain text.
 */
export function ClippedText({ text, what, markdown = false }: { text: string; what: string; markdown?: boolean }) {
  const [all, setAll] = useState(false);
  const limit = all ? MAX_SHOWN_CHARS : shownChars(text);
  const shown = text.length <= limit ? text : text.slice(0, limit);
  const body = breakLongRuns(shown);
  return (
    <>
      {markdown ? <Markdown text={body} /> : body}
      {shown.length < text.length && (
        <p className="mt-2 rounded bg-amber-50 p-2 text-xs text-amber-900" data-testid="clipped-note">
          {what} is {text.length.toLocaleString('en-US')} characters long; the first {limit.toLocaleString('en-US')} are shown.{' '}
          {!all && (
            <button type="button" className="underline" onClick={() => setAll(true)}>
              Show {Math.min(text.length, MAX_SHOWN_CHARS) === text.length ? 'all' : `the first ${MAX_SHOWN_CHARS.toLocaleString('en-US')}`}
            </button>
          )}
        </p>
      )}
    </>
  );
}
