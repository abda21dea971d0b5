import { describe, expect, it } from 'vitest';
import { parseMarkdown, plainText, safeHref, type MdBlock, type MdInline } from './index';

const t = (text: string): MdInline => ({ type: 'text', text });
const para = (...children: MdInline[]): MdBlock => ({ type: 'paragraph', children });
const inlineOf = (src: string): MdInline[] => {
  const blocks = parseMarkdown(src);
  expect(blocks).toHaveLength(1);
  const b = blocks[0]!;
  if (b.type !== 'paragraph') throw new Error(`expected a paragraph, got ${b.type}`);
  return b.children;
};

describe('blocks', () => {
  it('headings (ATX and setext), paragraphs and thematic breaks', () => {
    expect(parseMarkdown('# One\n## Two ##\n####### seven\n\npara\ntext\n===\n\nsecond\n---\n\n***\n- - -')).toEqual([
      { type: 'heading', level: 1, children: [t('One')] },
      { type: 'heading', level: 2, children: [t('Two')] },
      para(t('####### seven')),
      { type: 'heading', level: 1, children: [t('para'), { type: 'break' }, t('text')] },
      { type: 'heading', level: 2, children: [t('second')] },
      { type: 'hr' },
      { type: 'hr' },
    ]);
  });

  it('fenced code keeps its text and a cleaned language; indented code has none', () => {
    expect(
      parseMarkdown(
        '```Python extra words\nif x:\n    y = "<b>"\n```\n\n~~~~\n```\nnot closed by backticks\n~~~~\n\n    indented\n      more\n\nafter',
      ),
    ).toEqual([
      { type: 'code', lang: 'python', text: 'if x:\n    y = "<b>"' },
      { type: 'code', lang: '', text: '```\nnot closed by backticks' },
      { type: 'code', lang: '', text: 'indented\n  more' },
      para(t('after')),
    ]);
    // A language name with odd characters is dropped rather than passed on.
    expect(parseMarkdown('```<script>\nx\n```')).toEqual([{ type: 'code', lang: '', text: 'x' }]);
    // An unclosed fence runs to the end of its container.
    expect(parseMarkdown('```js\nlet a = 1;\n\nlet b;')).toEqual([{ type: 'code', lang: 'js', text: 'let a = 1;\n\nlet b;' }]);
  });

  it('lists: bullets, ordered with a start, nesting, tight and loose', () => {
    expect(parseMarkdown('- a\n- b\n  - c\n  - d\n- e')).toEqual([
      {
        type: 'list',
        ordered: false,
        start: 1,
        tight: true,
        items: [
          [para(t('a'))],
          [para(t('b')), { type: 'list', ordered: false, start: 1, tight: true, items: [[para(t('c'))], [para(t('d'))]] }],
          [para(t('e'))],
        ],
      },
    ]);
    expect(parseMarkdown('3. x\n4. y\n\n5. z')).toEqual([
      { type: 'list', ordered: true, start: 3, tight: false, items: [[para(t('x'))], [para(t('y'))], [para(t('z'))]] },
    ]);
    // A different bullet starts a new list; a paragraph line without indent continues the item lazily.
    expect(parseMarkdown('* one\ncontinued\n+ two')).toEqual([
      { type: 'list', ordered: false, start: 1, tight: true, items: [[para(t('one'), { type: 'break' }, t('continued'))]] },
      { type: 'list', ordered: false, start: 1, tight: true, items: [[para(t('two'))]] },
    ]);
    // An ordered list not starting at 1 cannot interrupt a paragraph.
    expect(parseMarkdown('The year\n1984. was a book')).toEqual([para(t('The year'), { type: 'break' }, t('1984. was a book'))]);
  });

  it('block quotes nest and take lazy continuation lines', () => {
    expect(parseMarkdown('> a\nlazy\n> > b\n\nout')).toEqual([
      { type: 'blockquote', children: [para(t('a'), { type: 'break' }, t('lazy')), { type: 'blockquote', children: [para(t('b'))] }] },
      para(t('out')),
    ]);
  });

  it('GFM tables: alignment, escaped pipes, short and long rows', () => {
    expect(parseMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | `x\\|y` | 3 | extra |\n| only |\n\nafter')).toEqual([
      {
        type: 'table',
        align: ['left', 'center', 'right'],
        header: [[t('a')], [t('b')], [t('c')]],
        rows: [
          [[t('1')], [{ type: 'code', text: 'x|y' }], [t('3')]],
          [[t('only')], [], []],
        ],
      },
      para(t('after')),
    ]);
    // Header and delimiter rows of different widths are not a table.
    expect(parseMarkdown('a | b\n--|--|--')[0]!.type).toBe('paragraph');
  });

  it('raw HTML is never a block: it stays text', () => {
    const blocks = parseMarkdown('<div onclick="x()">\n<script>alert(1)</script>\n</div>');
    expect(blocks).toEqual([
      para(t('<div onclick="x()">'), { type: 'break' }, t('<script>alert(1)</script>'), { type: 'break' }, t('</div>')),
    ]);
  });

  it('soft line breaks stay soft when asked; hard breaks always break', () => {
    expect(parseMarkdown('a\nb  \nc\\\nd', { breaks: false })).toEqual([
      para(t('a\nb'), { type: 'break' }, t('c'), { type: 'break' }, t('d')),
    ]);
  });

  it('never throws and keeps the text of odd input', () => {
    for (const s of ['', '\n\n', '\r\n\r\n', '\0', '#', '>', '-', '1.', '|', '```', '[', '![', '<', '*', '_', '\\']) {
      const blocks = parseMarkdown(s);
      expect(Array.isArray(blocks)).toBe(true);
    }
    expect(parseMarkdown('a\0b')).toEqual([para(t('a\uFFFDb'))]);
  });
});

describe('inline', () => {
  it('emphasis and strong follow the delimiter rules', () => {
    expect(inlineOf('*a* **b** _c_ __d__ ***e***')).toEqual([
      { type: 'emphasis', children: [t('a')] },
      t(' '),
      { type: 'strong', children: [t('b')] },
      t(' '),
      { type: 'emphasis', children: [t('c')] },
      t(' '),
      { type: 'strong', children: [t('d')] },
      t(' '),
      { type: 'emphasis', children: [{ type: 'strong', children: [t('e')] }] },
    ]);
    // Intraword underscores are not emphasis; intraword stars are.
    expect(inlineOf('snake_case_name and a*b*c')).toEqual([t('snake_case_name and a'), { type: 'emphasis', children: [t('b')] }, t('c')]);
    // Unmatched or space-flanked delimiters are text.
    expect(inlineOf('2 * 3 * 4 and **open')).toEqual([t('2 * 3 * 4 and **open')]);
  });

  it('code spans: any run length, content verbatim, one surrounding space stripped', () => {
    expect(inlineOf('`a` ``b ` c`` ` *d* ` ```x')).toEqual([
      { type: 'code', text: 'a' },
      t(' '),
      { type: 'code', text: 'b ` c' },
      t(' '),
      { type: 'code', text: '*d*' },
      t(' ```x'),
    ]);
  });

  it('backslash escapes', () => {
    expect(inlineOf('\\*not\\* \\[x\\](y) \\a')).toEqual([t('*not* [x](y) \\a')]);
  });

  it('links: http, https and mailto become links; titles are read and dropped', () => {
    expect(inlineOf('[site](https://example.org/a_(b) "Title") [mail](mailto:x@example.org) [ok](<https://example.org/a>)')).toEqual([
      { type: 'link', href: 'https://example.org/a_(b)', children: [t('site')] },
      t(' '),
      { type: 'link', href: 'mailto:x@example.org', children: [t('mail')] },
      t(' '),
      { type: 'link', href: 'https://example.org/a', children: [t('ok')] },
    ]);
    // Parentheses in an address must balance.
    expect(inlineOf('[x](https://a.example/(b )')).toEqual([t('[x](https://a.example/(b )')]);
    // An address with a space (possible in the <...> form) is refused and shown as written.
    expect(inlineOf('see [x](<http://example.org/a b>)')).toEqual([t('see [x](<http://example.org/a b>)')]);
  });

  it('links with any other scheme are shown as written', () => {
    for (const src of [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](vbscript:msgbox)',
      '[x](data:text/html;base64,PHNjcmlwdD4=)',
      '[x](/relative/path)',
      '[x](//evil.example/)',
      '[x](file:///etc/passwd)',
      '[x](http:///nohost)',
      '[x](<java\tscript:alert(1)>)',
    ]) {
      expect(inlineOf(src)).toEqual([t(src)]);
    }
  });

  it('autolinks: web and mail addresses only', () => {
    expect(inlineOf('<https://example.org> <me@example.org> <javascript:alert(1)> <b>x</b>')).toEqual([
      { type: 'link', href: 'https://example.org', children: [t('https://example.org')] },
      t(' '),
      { type: 'link', href: 'mailto:me@example.org', children: [t('me@example.org')] },
      t(' <javascript:alert(1)> <b>x</b>'),
    ]);
  });

  it('images become placeholders with their description and address', () => {
    expect(inlineOf('![a *cat*](https://img.example/cat.png "t") ![](javascript:x)')).toEqual([
      { type: 'image', alt: 'a cat', url: 'https://img.example/cat.png' },
      t(' '),
      { type: 'image', alt: '', url: 'javascript:x' },
    ]);
  });

  it('links never nest: an autolink inside link text becomes its text; earlier openers are spent', () => {
    expect(inlineOf('[a <https://in.example> b](https://out.example)')).toEqual([
      { type: 'link', href: 'https://out.example', children: [t('a https://in.example b')] },
    ]);
    expect(inlineOf('[outer [inner](https://a.example)](https://b.example)')).toEqual([
      t('[outer '),
      { type: 'link', href: 'https://a.example', children: [t('inner')] },
      t('](https://b.example)'),
    ]);
  });

  it('emphasis inside links and links inside emphasis', () => {
    expect(inlineOf('*see [the **docs**](https://d.example)*')).toEqual([
      {
        type: 'emphasis',
        children: [
          t('see '),
          { type: 'link', href: 'https://d.example', children: [t('the '), { type: 'strong', children: [t('docs')] }] },
        ],
      },
    ]);
  });
});

describe('safeHref', () => {
  it('allows http(s) with a host and mailto; refuses everything else', () => {
    expect(safeHref(' https://example.org/x?y#z ')).toBe('https://example.org/x?y#z');
    expect(safeHref('HTTP://EXAMPLE.ORG')).toBe('HTTP://EXAMPLE.ORG');
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    for (const bad of [
      'javascript:alert(1)',
      ' javascript:x',
      'java\nscript:x',
      'data:,x',
      'vbscript:x',
      'mailto:',
      'http://',
      'https:///x',
      'https:\\\\x',
      '//x.org',
      '/x',
      'x.html',
      'ftp://x.org',
      'http://a b',
      `https://x.org/${'a'.repeat(3000)}`,
      'https://x.org/\u0085',
    ]) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });
});

describe('plainText', () => {
  it('concatenates text, code and image descriptions; breaks are newlines', () => {
    expect(plainText(inlineOf('a *b* `c` ![d](https://x.org) [e](https://y.org)\nf'))).toBe('a b c d e\nf');
  });
});
