import { describe, expect, it } from 'vitest';
import { breakLongRuns, SHOWN_CHARS, SHOWN_CHARS_LONG_RUN, shownChars } from './clipped-text';

/** The rule as a regex (what the app used before; it overflows V8's stack on multi-megabyte runs). */
const reference = (s: string) => s.replace(/\S{80,}/g, (run) => run.replace(/(.{40})/gs, '$1\u200b'));

describe('breakLongRuns', () => {
  it('breaks runs of 80+ characters every 40, as the regex rule does, on random text', () => {
    let x = 5;
    const alphabet = 'abcXYZ01-_. \n\t';
    for (let t = 0; t < 200; t++) {
      let s = '';
      const len = (t * 97) % 700;
      for (let i = 0; i < len; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        s += x % 9 === 0 ? alphabet[11 + (x % 3)] : alphabet[x % 11];
      }
      expect(breakLongRuns(s)).toBe(reference(s));
    }
    expect(breakLongRuns('short words only')).toBe('short words only');
  });

  it('never splits a surrogate pair, and handles a 10 MB run (the regex overflows the stack there)', () => {
    const emoji = '😀'.repeat(100);
    const broken = breakLongRuns(emoji);
    expect(broken.replaceAll('\u200b', '')).toBe(emoji);
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const part of broken.split('\u200b')) expect(lone.test(part)).toBe(false);
    const run = 'A'.repeat(10_000_000);
    expect(() => reference(run)).toThrow(RangeError);
    const out = breakLongRuns(run);
    expect(out.length).toBe(run.length + run.length / 40);
  });

  it('shows less of a text that holds a run of 1,000 characters without whitespace', () => {
    expect(shownChars('word '.repeat(10_000))).toBe(SHOWN_CHARS);
    expect(shownChars(`intro ${'x'.repeat(1000)}`)).toBe(SHOWN_CHARS_LONG_RUN);
    expect(shownChars('x'.repeat(50_000_000))).toBe(SHOWN_CHARS_LONG_RUN);
  });
});
