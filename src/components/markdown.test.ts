// The component's HTML for hostile text, rendered with react-dom/server: only an allow-list of tags and
// attributes appears, hrefs are web or mail addresses, nothing has a src, a style or an event handler.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HOSTILE_MARKUP, hugeInputs } from '../domain/markdown/hostile-payloads';
import { Markdown, type MarkdownProps } from './markdown';

const render = (props: MarkdownProps): string => renderToStaticMarkup(createElement(Markdown, props));

const TAGS = new Set([
  'div',
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'em',
  'strong',
  'code',
  'pre',
  'span',
  'a',
  'br',
  'hr',
  'ul',
  'ol',
  'li',
  'blockquote',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const ATTRIBUTES = new Set(['class', 'href', 'target', 'rel', 'referrerpolicy', 'title', 'start', 'data-markdown']);

interface Tag {
  name: string;
  attrs: Map<string, string>;
}

/** Every start tag of React's output; text is escaped by React, so "<" only ever opens a real tag. */
function tags(html: string): Tag[] {
  const out: Tag[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const attrs = new Map<string, string>();
    for (const a of m[2]!.matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/g)) attrs.set(a[1]!.toLowerCase(), a[2] ?? '');
    out.push({ name: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

function expectSafe(html: string): void {
  expect(html).not.toMatch(/<script|<img|<iframe|<svg|<style|<link|<meta|<object|<embed|<form|<base/i);
  for (const tag of tags(html)) {
    expect(TAGS.has(tag.name), `tag <${tag.name}>`).toBe(true);
    for (const [name, value] of tag.attrs) {
      expect(ATTRIBUTES.has(name), `attribute ${name} on <${tag.name}>`).toBe(true);
      if (name === 'href') expect(value).toMatch(/^(https?:\/\/[^\s/\\]|mailto:\S)/i);
    }
    if (tag.name === 'a') {
      expect(tag.attrs.get('target')).toBe('_blank');
      expect(tag.attrs.get('rel')).toBe('noopener noreferrer nofollow');
      expect(tag.attrs.get('referrerpolicy')).toBe('no-referrer');
    }
  }
}

describe('<Markdown> with hostile text', () => {
  it.each(HOSTILE_MARKUP)('%s', (text) => {
    expectSafe(render({ text }));
    const asText = render({ text, links: 'text' });
    expectSafe(asText);
    expect(tags(asText).some((t) => t.name === 'a')).toBe(false);
  });

  it('shows markup as escaped text', () => {
    const html = render({ text: 'Hi <script>alert(1)</script> <img src=x onerror=alert(1)>' });
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('images are placeholders: description and address as text, nothing loaded', () => {
    const html = render({ text: '![a cat](https://img.example/cat.png)' });
    expect(html).not.toContain('<img');
    expect(html).toContain('[image: a cat]');
    expect(html).toContain('https://img.example/cat.png');
    expect(tags(html).every((t) => !t.attrs.has('href'))).toBe(true);
  });

  it('a link whose text hides its address shows the real host', () => {
    const html = render({ text: '[https://bank.example](https://evil.example/login)' });
    expect(html).toContain('href="https://evil.example/login"');
    expect(html).toContain('(evil.example)');
    expect(render({ text: '<https://same.example/>' })).not.toContain('(same.example)');
  });

  it('in text mode the address is printed to copy, and nothing is clickable', () => {
    const html = render({ text: '[docs](https://docs.example/x)', links: 'text' });
    expect(html).not.toContain('<a');
    expect(html).toContain('https://docs.example/x');
  });

  it.each(Object.entries(hugeInputs()))('renders %s', (_name, text) => {
    const html = render({ text });
    expect(tags(html).length).toBeGreaterThan(0);
    expect(html).not.toMatch(/<script|\son[a-z]+=|\ssrc=|\sstyle=/i);
  });
});

describe('<Markdown> structure', () => {
  it('renders blocks and inline formatting as elements', () => {
    const html = render({ text: '# T\n\nSome *em* and **strong** with `code`.\n\n- one\n- two\n\n> quoted\n\n| a |\n|--:|\n| 1 |\n\n---' });
    expect(html).toContain('<h1');
    expect(html).toMatch(/<em>em<\/em>/);
    expect(html).toMatch(/<strong>strong<\/strong>/);
    expect(html).toMatch(/<code[^>]*>code<\/code>/);
    expect(html).toMatch(/<ul[^>]*><li><p[^>]*>one<\/p><\/li><li><p[^>]*>two<\/p><\/li><\/ul>/);
    expect(html).toMatch(/<blockquote[^>]*><p[^>]*>quoted<\/p><\/blockquote>/);
    expect(html).toMatch(/<td class="[^"]*text-right[^"]*">1<\/td>/);
    expect(html).toContain('<hr');
  });

  it('highlights known languages in code blocks that scroll on their own', () => {
    const html = render({ text: '```python\ndef f(): return "x"  # c\n```' });
    expect(html).toMatch(/<pre class="[^"]*overflow-x-auto/);
    expect(html).toMatch(/<span class="[^"]*text-indigo-700[^"]*">def<\/span>/);
    expect(html).toMatch(/<span class="[^"]*text-emerald-700[^"]*">&quot;x&quot;<\/span>/);
    expect(html).toMatch(/<span class="[^"]*italic[^"]*"># c<\/span>/);
    expect(render({ text: '```\ndef f()\n```' })).not.toContain('text-indigo-700');
  });

  it('long lines may wrap anywhere', () => {
    expect(render({ text: 'x'.repeat(500) })).toMatch(/^<div class="[^"]*\[overflow-wrap:anywhere\]/);
  });
});
