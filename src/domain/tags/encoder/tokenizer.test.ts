import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR, byteEncode, byteLevelPreTokenize } from './byte-level-bpe';
import parity from './hf-tokenizers.fixture.json';
import { loadTokenizer, TokenizerError } from './tokenizer';
import { bertNormalize, bertPreTokenize } from './wordpiece';

const WP_VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  'un',
  '##aff',
  '##able',
  'cafe',
  'naive',
  ',',
  '!',
  'hello',
  'world',
  '##s',
  '中',
  '文',
  '.',
  'the',
];

function wordPieceJson(overrides: { normalizer?: unknown; post_processor?: unknown } = {}) {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(WP_VOCAB.map((t, i) => [t, i])),
    },
    ...overrides,
  };
}

describe('BERT normaliser and pre-tokenizer', () => {
  const opts = { cleanText: true, handleChineseChars: true, stripAccents: null, lowercase: true };
  it('lowercases, strips accents, drops control characters and spaces out CJK', () => {
    expect(bertNormalize('Café\tNAÏVE\u0000\u200b', opts)).toBe('cafe naive');
    expect(bertNormalize('a中b', opts)).toBe('a 中 b');
    expect(bertNormalize('Café', { ...opts, stripAccents: false })).toBe('café');
  });
  it('isolates punctuation, including ASCII symbols', () => {
    expect(bertPreTokenize("hello, world! it's $5+6")).toEqual(['hello', ',', 'world', '!', 'it', "'", 's', '$', '5', '+', '6']);
  });
});

describe('WordPiece tokenizer.json', () => {
  const tok = loadTokenizer(JSON.stringify(wordPieceJson()));

  it('uses ## continuations, [UNK] for unknown words and strips accents', () => {
    expect(tok.kind).toBe('wordpiece');
    const e = tok.encode('Unaffable CAFÉ, naïve! Worlds xyz');
    expect(e.tokens).toEqual(['[CLS]', 'un', '##aff', '##able', 'cafe', ',', 'naive', '!', 'world', '##s', '[UNK]', '[SEP]']);
    expect(e.ids).toEqual([2, 5, 6, 7, 8, 10, 9, 11, 13, 14, 1, 3]);
    expect(e.special).toEqual([true, ...Array.from({ length: 10 }, () => false), true]);
    expect(e.typeIds.every((t) => t === 0)).toBe(true);
    expect(e.truncated).toBe(false);
  });

  it('marks a word [UNK] when any remainder fails (no partial pieces)', () => {
    expect(tok.tokenize('unaffablex').tokens).toEqual(['[UNK]']);
  });

  it('splits CJK ideographs and matches literal special tokens', () => {
    expect(tok.tokenize('hello中文world').tokens).toEqual(['hello', '中', '文', 'world']);
    expect(tok.tokenize('hello [SEP] world').tokens).toEqual(['hello', '[SEP]', 'world']);
  });

  it('truncates content on the right, keeping the special tokens', () => {
    const e = tok.encode('unaffable cafe', { maxLength: 4 });
    expect(e.tokens).toEqual(['[CLS]', 'un', '##aff', '[SEP]']);
    expect(e.truncated).toBe(true);
    expect(() => tok.encode('x', { maxLength: 1 })).toThrow(RangeError);
    expect(tok.encode('', { maxLength: 2 }).tokens).toEqual(['[CLS]', '[SEP]']);
  });

  it('keeps accents when strip_accents is false', () => {
    const t = loadTokenizer(wordPieceJson({ normalizer: { type: 'BertNormalizer', strip_accents: false, lowercase: true } }));
    expect(t.tokenize('Café cafe').tokens).toEqual(['[UNK]', 'cafe']);
  });

  it('reads the older BertProcessing post-processor', () => {
    const t = loadTokenizer(wordPieceJson({ post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] } }));
    expect(t.encode('hello').ids).toEqual([2, 12, 3]);
    expect(t.specialTokenCount).toBe(2);
  });
});

// A tiny byte-level BPE: "hello world" -> hello Ġworld through the merges below.
const BPE_MERGES = ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'o r', 'Ġw or', 'l d', 'Ġwor ld', 'l o'];
function bpeJson(merges: unknown = BPE_MERGES) {
  const base = ['<s>', '<pad>', '</s>', '<unk>'];
  const pieces = [...new Set([..."helowrdĠ'st".split(''), ...BPE_MERGES.map((m) => m.replace(' ', ''))])];
  return {
    added_tokens: base.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: true,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries([...base, ...pieces].map((t, i) => [t, i])),
      merges,
    },
  };
}

describe('byte-level pre-tokenizer', () => {
  it('maps bytes to printable characters (space Ġ, newline Ċ, UTF-8 bytes)', () => {
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
    expect(byteEncode('é')).toBe('Ã©');
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
  });
  it("splits with GPT-2's pattern", () => {
    const o = { addPrefixSpace: false, useRegex: true };
    expect(byteLevelPreTokenize("it's abc123  x\n", o)).toEqual(['it', "'s", 'Ġabc', '123', 'Ġ', 'Ġx', 'Ċ']);
    expect(byteLevelPreTokenize('hi', { ...o, addPrefixSpace: true })).toEqual(['Ġhi']);
  });
});

describe('byte-level BPE tokenizer.json', () => {
  const tok = loadTokenizer(bpeJson());

  it("merges by rank and marks spaces with 'Ġ'", () => {
    expect(tok.kind).toBe('byte-level-bpe');
    const e = tok.encode('hello world');
    expect(e.tokens).toEqual(['<s>', 'hello', 'Ġworld', '</s>']);
    expect(e.special).toEqual([true, false, false, true]);
    expect(tok.tokenize('held').tokens).toEqual(['he', 'ld']);
    // "l l" outranks "l o": llo -> ll o, not l lo.
    expect(tok.tokenize('llo').tokens).toEqual(['ll', 'o']);
    expect(tok.tokenize('lo w').tokens).toEqual(['lo', 'Ġw']);
  });

  it('reads merges written as pairs as well as strings', () => {
    const pairs = loadTokenizer(bpeJson(BPE_MERGES.map((m) => m.split(' '))));
    expect(pairs.encode('hello world').ids).toEqual(tok.encode('hello world').ids);
  });

  it('truncates to maxLength including <s> and </s>', () => {
    expect(tok.encode('hello world hello', { maxLength: 3 }).tokens).toEqual(['<s>', 'hello', '</s>']);
  });
});

describe('unsupported or broken tokenizer.json', () => {
  const expectError = (src: unknown, code: string, message: RegExp) => {
    try {
      loadTokenizer(src);
    } catch (e) {
      expect(e).toBeInstanceOf(TokenizerError);
      expect((e as TokenizerError).code).toBe(code);
      expect((e as Error).message).toMatch(message);
      return;
    }
    throw new Error('expected a TokenizerError');
  };

  it('names the unsupported component and what is supported', () => {
    expectError({ ...wordPieceJson(), model: { type: 'Unigram', vocab: [] } }, 'unsupported-tokenizer', /Unigram.*Supported: WordPiece/);
    expectError({ ...bpeJson(), pre_tokenizer: { type: 'Metaspace', replacement: '▁' } }, 'unsupported-tokenizer', /Metaspace/);
    expectError({ ...bpeJson(), pre_tokenizer: null }, 'unsupported-tokenizer', /no ByteLevel pre-tokenizer/);
    expectError({ ...wordPieceJson(), normalizer: { type: 'Precompiled' } }, 'unsupported-tokenizer', /normalizer "Precompiled"/);
  });

  it('reports unreadable files', () => {
    expectError('{not json', 'bad-tokenizer-json', /not valid JSON/);
    expectError({ do_lower_case: true }, 'bad-tokenizer-json', /no "model"/);
    expectError(
      { ...wordPieceJson(), model: { type: 'WordPiece', unk_token: '[UNK]', vocab: { a: 0 } } },
      'bad-tokenizer-json',
      /unk_token/,
    );
  });
});

// Expected ids produced by Hugging Face `tokenizers` 0.23.2 itself: a WordPiece tokenizer configured as
// bert-base-uncased and a byte-level BPE configured as roberta-base, both trained (vocabulary 700) on
// the PandaLM texts in shared/data, then run on 30 PandaLM responses and edge cases (accents, CJK, emoji,
// control and zero-width characters, literal special tokens, tabs, long words).
describe('parity with Hugging Face tokenizers', () => {
  for (const name of ['wordpiece', 'bpe'] as const) {
    it(`${name}: ${parity[name].cases.length} texts give the same ids`, () => {
      const tok = loadTokenizer(parity[name].tokenizer);
      const mismatches = parity[name].cases.filter((c) => JSON.stringify(tok.encode(c.text).ids) !== JSON.stringify(c.ids));
      expect(mismatches.map((c) => ({ text: c.text, expected: c.ids, got: tok.encode(c.text).ids }))).toEqual([]);
    });
  }
});
