// Hostile input produces only the closed set of node kinds, only allowed link addresses, bounded depth,
// and keeps the text. The huge inputs would take minutes (and fail the suite's time limit) if any scan in
// the parser were quadratic; speed itself is not asserted here.
import { describe, expect, it } from 'vitest';
import { HOSTILE_MARKUP, hugeInputs } from './hostile-payloads';
import { MAX_BLOCK_DEPTH, MAX_INLINE_DEPTH, parseMarkdown, plainText, type MdBlock, type MdInline } from './index';

const BLOCK_TYPES = new Set(['paragraph', 'heading', 'code', 'list', 'blockquote', 'table', 'hr']);
const INLINE_TYPES = new Set(['text', 'emphasis', 'strong', 'code', 'link', 'image', 'break']);

interface Layout {
  blockDepth: number;
  inlineDepth: number;
  hrefs: string[];
  text: string;
}

function inspect(blocks: readonly MdBlock[]): Layout {
  const shape: Layout = { blockDepth: 0, inlineDepth: 0, hrefs: [], text: '' };
  const inl = (nodes: readonly MdInline[], depth: number): void => {
    shape.inlineDepth = Math.max(shape.inlineDepth, depth);
    for (const n of nodes) {
      expect(INLINE_TYPES.has(n.type), n.type).toBe(true);
      expect(Object.keys(n).every((k) => ['type', 'text', 'children', 'href', 'alt', 'url'].includes(k))).toBe(true);
      if (n.type === 'link') shape.hrefs.push(n.href);
      if (n.type === 'text' || n.type === 'code') shape.text += n.text;
      if (n.type === 'image') shape.text += n.alt + n.url;
      if ('children' in n) inl(n.children, depth + 1);
    }
  };
  const blk = (nodes: readonly MdBlock[], depth: number): void => {
    shape.blockDepth = Math.max(shape.blockDepth, depth);
    for (const b of nodes) {
      expect(BLOCK_TYPES.has(b.type), b.type).toBe(true);
      switch (b.type) {
        case 'paragraph':
        case 'heading':
          inl(b.children, 1);
          break;
        case 'code':
          shape.text += b.text;
          expect(b.lang).toMatch(/^[a-z0-9_+#.-]{0,32}$/);
          break;
        case 'blockquote':
          blk(b.children, depth + 1);
          break;
        case 'list':
          for (const item of b.items) blk(item, depth + 1);
          break;
        case 'table':
          for (const cell of [...b.header, ...b.rows.flat()]) inl(cell, 1);
          break;
        case 'hr':
          break;
      }
    }
  };
  blk(blocks, 1);
  return shape;
}

const ALLOWED_HREF = /^(https?:\/\/[^\s/\\]|mailto:\S)/i;

describe('hostile markup', () => {
  it.each(HOSTILE_MARKUP)('%s', (src) => {
    const shape = inspect(parseMarkdown(src));
    for (const href of shape.hrefs) expect(href).toMatch(ALLOWED_HREF);
    expect(shape.hrefs.join(' ')).not.toMatch(/javascript|vbscript|data:/i);
  });

  it('keeps tags as visible text', () => {
    expect(inspect(parseMarkdown('<script>alert(1)</script>')).text).toBe('<script>alert(1)</script>');
    expect(inspect(parseMarkdown('<img src=x onerror=alert(1)>')).text).toBe('<img src=x onerror=alert(1)>');
  });

  it('the only links in the whole set are the ones with http(s) addresses', () => {
    const hrefs = HOSTILE_MARKUP.flatMap((s) => inspect(parseMarkdown(s)).hrefs);
    expect(hrefs).toEqual(['https://evil.example']);
  });
});

describe('huge and deeply nested input', () => {
  for (const [name, src] of Object.entries(hugeInputs())) {
    it(name, () => {
      const blocks = parseMarkdown(src);
      const shape = inspect(blocks);
      // Depths: the document level, plus one per container, plus the cut level that holds flattened text.
      expect(shape.blockDepth).toBeLessThanOrEqual(MAX_BLOCK_DEPTH + 1);
      expect(shape.inlineDepth).toBeLessThanOrEqual(MAX_INLINE_DEPTH + 1);
      for (const href of shape.hrefs) expect(href).toMatch(ALLOWED_HREF);
    });
  }

  it('keeps all the text of a 1 MB unbroken string', () => {
    const src = 'x'.repeat(1_000_000);
    expect(parseMarkdown(src)).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: src }] }]);
  });

  it('cuts deep quote nesting and keeps the rest as text', () => {
    const blocks = parseMarkdown(`${'>'.repeat(100)} deep`);
    const shape = inspect(blocks);
    expect(shape.blockDepth).toBe(MAX_BLOCK_DEPTH + 1);
    expect(shape.text).toBe(`${'>'.repeat(100 - MAX_BLOCK_DEPTH)} deep`);
  });

  it('cuts deep emphasis and keeps its text', () => {
    const blocks = parseMarkdown(`${'*'.repeat(60)}deep${'*'.repeat(60)}`);
    expect(inspect(blocks).inlineDepth).toBe(MAX_INLINE_DEPTH + 1);
    const p = blocks[0]!;
    expect(p.type === 'paragraph' && plainText(p.children)).toBe('deep');
  });
});
