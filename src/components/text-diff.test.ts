import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DiffView, TextDiff } from './text-diff';

describe('<TextDiff>', () => {
  it('strikes removed text, marks added text, and keeps the rest', () => {
    const html = renderToStaticMarkup(createElement(TextDiff, { a: 'The cat sat.', b: 'The dog sat.' }));
    expect(html).toMatch(/<del class="[^"]*line-through[^"]*">cat<\/del><ins class="[^"]*bg-green-100[^"]*">dog<\/ins>/);
    expect(html).toContain('<span>The </span>');
    expect(html).toContain('data-diff="word"');
  });

  it('escapes hostile text on both sides', () => {
    const a = 'x <script>alert(1)</script>';
    const b = 'x <img src=y onerror=alert(2)>';
    const html = renderToStaticMarkup(createElement(TextDiff, { a, b }));
    // Only the component's own tags and attributes; React escapes "<" in text, so every "<" opens one of them.
    for (const m of html.matchAll(/<([a-zA-Z]+)([^>]*)>/g)) {
      expect(['div', 'p', 'span', 'del', 'ins']).toContain(m[1]);
      for (const attr of m[2]!.matchAll(/\s([^\s=]+)=/g)) expect(['class', 'data-diff']).toContain(attr[1]);
    }
    const unescape = (s: string) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    const body = html.slice(html.indexOf('[overflow-wrap:anywhere]">') + 26);
    const pieces = [...body.matchAll(/<(span|del|ins)[^>]*>([^<]*)<\/\1>/g)].map((m) => ({ tag: m[1], text: unescape(m[2]!) }));
    expect(
      pieces
        .filter((p) => p.tag !== 'ins')
        .map((p) => p.text)
        .join(''),
    ).toBe(a);
    expect(
      pieces
        .filter((p) => p.tag !== 'del')
        .map((p) => p.text)
        .join(''),
    ).toBe(b);
  });

  it('says when the diff is not word-level', () => {
    const html = renderToStaticMarkup(
      createElement(DiffView, {
        result: {
          granularity: 'line',
          note: 'Changed lines are shown.',
          segments: [
            { kind: 'removed', text: 'a\n' },
            { kind: 'added', text: 'b\n' },
          ],
        },
      }),
    );
    expect(html).toContain('data-diff="line"');
    expect(html).toContain('Changed lines are shown.');
  });
});
