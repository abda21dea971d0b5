import { describe, expect, it } from 'vitest';
import { highlight, languageFamily, MAX_HIGHLIGHT_CHARS, type Token } from './highlight';

const kinds = (tokens: Token[]) => tokens.filter((t) => t.kind !== 'plain').map((t) => `${t.kind}:${t.text}`);

describe('highlight', () => {
  it('python: keywords, strings (triple too), comments, numbers', () => {
    const code = 'def f(x=1.5e-3):\n    """doc "quoted" """\n    return x  # done\nprint(\'it\\\'s\', None, 0x1F)';
    const tokens = highlight(code, 'py');
    expect(tokens.map((t) => t.text).join('')).toBe(code);
    expect(kinds(tokens)).toEqual([
      'keyword:def',
      'number:1.5e-3',
      'string:"""doc "quoted" """',
      'keyword:return',
      'comment:# done',
      "string:'it\\'s'",
      'keyword:None',
      'number:0x1F',
    ]);
  });

  it('js/ts: line and block comments, template strings over lines, keywords', () => {
    const code = 'const a = `x\n${b}`; /* c\n */ let n = 42; // end\ninterface I {}';
    expect(kinds(highlight(code, 'TypeScript'))).toEqual([
      'keyword:const',
      'string:`x\n${b}`',
      'comment:/* c\n */',
      'keyword:let',
      'number:42',
      'comment:// end',
      'keyword:interface',
    ]);
  });

  it('json and bash', () => {
    expect(kinds(highlight('{"a": [1, -2.5, true, null]}', 'json'))).toEqual([
      'string:"a"',
      'number:1',
      'number:2.5',
      'keyword:true',
      'keyword:null',
    ]);
    expect(kinds(highlight('if [ $# -gt 1 ]; then echo "a#b" # note\nfi', 'bash'))).toEqual([
      'keyword:if',
      'number:1',
      'keyword:then',
      'string:"a#b"',
      'comment:# note',
      'keyword:fi',
    ]);
  });

  it('c-like: keywords, char literals, comments', () => {
    expect(kinds(highlight("int main() { char c = 'x'; return 0; } // ok", 'cpp'))).toEqual([
      'keyword:int',
      'keyword:char',
      "string:'x'",
      'keyword:return',
      'number:0',
      'comment:// ok',
    ]);
    expect(languageFamily('rust')).toBe('c');
  });

  it('an unterminated string or comment runs to its end, not beyond the text', () => {
    expect(kinds(highlight('x = "open\ny = 1', 'python'))).toEqual(['string:"open', 'number:1']);
    expect(kinds(highlight('a /* never closed', 'js'))).toEqual(['comment:/* never closed']);
  });

  it('unknown languages, empty code and very long code are plain', () => {
    expect(highlight('def x', 'brainfuck')).toEqual([{ kind: 'plain', text: 'def x' }]);
    expect(highlight('', 'python')).toEqual([]);
    const long = 'x = 1\n'.repeat(MAX_HIGHLIGHT_CHARS / 6 + 1);
    expect(highlight(long, 'python')).toEqual([{ kind: 'plain', text: long }]);
  });
});
