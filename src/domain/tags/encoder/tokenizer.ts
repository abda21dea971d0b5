// A loader for Hugging Face `tokenizer.json` files covering the two families the semantic scores need:
// WordPiece (BERT, DistilBERT: BertNormalizer + BertPreTokenizer + [CLS] ... [SEP]) and byte-level BPE
// (RoBERTa, GPT-2: ByteLevel pre-tokenizer + merges + <s> ... </s>). Anything else is refused with a
// message that says what is supported, rather than tokenised wrongly.
//
// Known simplification: added tokens (e.g. a literal "[SEP]" or "<mask>" typed in a text) are matched on
// the raw text, also those flagged `normalized: true` (tokenizers matches those after normalisation).
import { BpeModel, byteLevelPreTokenize } from './byte-level-bpe';
import { bertNormalize, bertPreTokenize, stripAccents, whitespacePreTokenize, WordPieceModel, type ModelToken } from './wordpiece';
import { HyperError } from '../../errors';

export type TokenizerErrorCode = 'bad-tokenizer-json' | 'unsupported-tokenizer';

/** A tokenizer.json that cannot be read, or uses a component this loader does not implement. */
export class TokenizerError extends HyperError<TokenizerErrorCode> {
  override readonly name = 'TokenizerError';
}

export interface Encoding {
  ids: number[];
  tokens: string[];
  /** token_type_ids from the post-processor template (0 for single sequences in BERT and RoBERTa). */
  typeIds: number[];
  /** true for tokens added by the post-processor ([CLS]/[SEP], <s>/</s>). */
  special: boolean[];
  /** Whether content tokens were cut to respect maxLength. */
  truncated: boolean;
}

export interface EncodeOptions {
  /** Maximum number of tokens including special tokens; content is cut on the right (tokenizers' default). */
  maxLength?: number;
}

export interface Tokenizer {
  /** 'wordpiece' or 'byte-level-bpe'. */
  readonly kind: 'wordpiece' | 'byte-level-bpe';
  /** Content tokens of a text, without special tokens and without truncation. */
  tokenize(text: string): { ids: number[]; tokens: string[] };
  /** Tokens with the post-processor's special tokens, truncated to maxLength. */
  encode(text: string, options?: EncodeOptions): Encoding;
  /** Number of special tokens the post-processor adds around a single sequence. */
  readonly specialTokenCount: number;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
}

type Json = Record<string, unknown>;
type Normalizer = (s: string) => string;
type PreTokenizer = (pieces: string[]) => string[];

interface AddedToken {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
}

interface TemplatePiece {
  kind: 'special' | 'sequence';
  ids: number[];
  tokens: string[];
  typeId: number;
}

const SUPPORTED =
  'Supported: WordPiece models (BERT, DistilBERT) and byte-level BPE models (RoBERTa, GPT-2) in a Hugging Face tokenizer.json.';

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(message: string): TokenizerError {
  return new TokenizerError('bad-tokenizer-json', message);
}

function unsupported(message: string): TokenizerError {
  return new TokenizerError('unsupported-tokenizer', `${message} ${SUPPORTED}`);
}

function typeOf(component: Json, where: string): string {
  if (typeof component.type !== 'string') throw bad(`${where} has no "type"`);
  return component.type;
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

function buildNormalizer(n: unknown): Normalizer | null {
  if (n === null || n === undefined) return null;
  if (!isObject(n)) throw bad('"normalizer" is not an object');
  const type = typeOf(n, 'normalizer');
  switch (type) {
    case 'BertNormalizer': {
      const o = {
        cleanText: bool(n.clean_text, true),
        handleChineseChars: bool(n.handle_chinese_chars, true),
        stripAccents: typeof n.strip_accents === 'boolean' ? n.strip_accents : null,
        lowercase: bool(n.lowercase, true),
      };
      return (s) => bertNormalize(s, o);
    }
    case 'Lowercase':
      return (s) => s.toLowerCase();
    case 'StripAccents':
      return stripAccents;
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return (s) => s.normalize(type);
    case 'Sequence': {
      if (!Array.isArray(n.normalizers)) throw bad('Sequence normalizer without "normalizers"');
      const parts = n.normalizers.map(buildNormalizer).filter((f): f is Normalizer => f !== null);
      return (s) => parts.reduce((acc, f) => f(acc), s);
    }
    default:
      throw unsupported(`Unsupported normalizer "${type}".`);
  }
}

function buildPreTokenizer(p: unknown, state: { byteLevel: boolean }): PreTokenizer | null {
  if (p === null || p === undefined) return null;
  if (!isObject(p)) throw bad('"pre_tokenizer" is not an object');
  const type = typeOf(p, 'pre_tokenizer');
  switch (type) {
    case 'BertPreTokenizer':
      return (pieces) => pieces.flatMap(bertPreTokenize);
    case 'Whitespace':
      return (pieces) => pieces.flatMap(whitespacePreTokenize);
    case 'WhitespaceSplit':
      return (pieces) => pieces.flatMap((s) => s.split(/\s+/u).filter(Boolean));
    case 'ByteLevel': {
      state.byteLevel = true;
      const o = { addPrefixSpace: bool(p.add_prefix_space, true), useRegex: bool(p.use_regex, true) };
      return (pieces) => pieces.flatMap((s) => byteLevelPreTokenize(s, o));
    }
    case 'Sequence': {
      if (!Array.isArray(p.pretokenizers)) throw bad('Sequence pre_tokenizer without "pretokenizers"');
      const parts = p.pretokenizers.map((x) => buildPreTokenizer(x, state)).filter((f): f is PreTokenizer => f !== null);
      return (pieces) => parts.reduce((acc, f) => f(acc), pieces);
    }
    default:
      throw unsupported(`Unsupported pre_tokenizer "${type}".`);
  }
}

function readVocab(model: Json): Map<string, number> {
  if (!isObject(model.vocab)) throw bad('model.vocab must be an object mapping tokens to ids');
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw bad(`model.vocab: bad id for ${JSON.stringify(token)}`);
    vocab.set(token, id);
  }
  return vocab;
}

function readMerges(model: Json): [string, string][] {
  if (!Array.isArray(model.merges)) throw bad('BPE model.merges must be an array');
  return model.merges.map((m, i): [string, string] => {
    // Older files: "a b" strings; newer (tokenizers >= 0.20): ["a", "b"] pairs.
    if (typeof m === 'string') {
      const at = m.indexOf(' ', 1);
      if (at < 0) throw bad(`model.merges[${i}] is not "a b"`);
      return [m.slice(0, at), m.slice(at + 1)];
    }
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') return [m[0], m[1]];
    throw bad(`model.merges[${i}] is neither "a b" nor ["a", "b"]`);
  });
}

function specialPair(v: unknown, where: string): { token: string; id: number } {
  if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'number') return { token: v[0], id: v[1] };
  throw bad(`${where} must be [token, id]`);
}

/** The template for a single sequence: special pieces around one 'sequence' slot. */
function buildTemplate(pp: unknown): TemplatePiece[] {
  const seq: TemplatePiece = { kind: 'sequence', ids: [], tokens: [], typeId: 0 };
  if (pp === null || pp === undefined) return [seq];
  if (!isObject(pp)) throw bad('"post_processor" is not an object');
  const type = typeOf(pp, 'post_processor');
  switch (type) {
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const cls = specialPair(pp.cls, `${type}.cls`);
      const sep = specialPair(pp.sep, `${type}.sep`);
      return [
        { kind: 'special', ids: [cls.id], tokens: [cls.token], typeId: 0 },
        seq,
        { kind: 'special', ids: [sep.id], tokens: [sep.token], typeId: 0 },
      ];
    }
    case 'ByteLevel':
      return [seq];
    case 'TemplateProcessing': {
      if (!Array.isArray(pp.single)) throw bad('TemplateProcessing without "single"');
      const specials = isObject(pp.special_tokens) ? pp.special_tokens : {};
      return pp.single.map((item): TemplatePiece => {
        if (isObject(item) && isObject(item.Sequence)) return { ...seq, typeId: Number(item.Sequence.type_id ?? 0) };
        if (isObject(item) && isObject(item.SpecialToken)) {
          const name = String(item.SpecialToken.id);
          const def = specials[name];
          if (!isObject(def) || !Array.isArray(def.ids)) throw bad(`TemplateProcessing: special token ${name} is not defined`);
          return {
            kind: 'special',
            ids: def.ids.map(Number),
            tokens: Array.isArray(def.tokens) ? def.tokens.map(String) : [name],
            typeId: Number(item.SpecialToken.type_id ?? 0),
          };
        }
        throw bad('TemplateProcessing: unknown template item');
      });
    }
    case 'Sequence': {
      if (!Array.isArray(pp.processors)) throw bad('Sequence post_processor without "processors"');
      // In practice [ByteLevel, TemplateProcessing]: the one that adds tokens decides the template.
      const templates = pp.processors.map(buildTemplate).filter((t) => t.length > 1);
      if (templates.length > 1) throw unsupported('A post_processor Sequence with several token-adding processors is not supported.');
      return templates[0] ?? [seq];
    }
    default:
      throw unsupported(`Unsupported post_processor "${type}".`);
  }
}

function readAddedTokens(v: unknown): AddedToken[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter(isObject)
    .filter((t) => typeof t.content === 'string' && t.content !== '' && typeof t.id === 'number')
    .map((t) => ({
      id: t.id as number,
      content: t.content as string,
      singleWord: bool(t.single_word, false),
      lstrip: bool(t.lstrip, false),
      rstrip: bool(t.rstrip, false),
    }));
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

class HfTokenizer implements Tokenizer {
  readonly specialTokenCount: number;
  private readonly idToTokenMap = new Map<number, string>();
  private readonly addedPattern: RegExp | null;
  private readonly addedByContent: Map<string, AddedToken>;

  constructor(
    readonly kind: 'wordpiece' | 'byte-level-bpe',
    private readonly vocab: Map<string, number>,
    private readonly normalizer: Normalizer | null,
    private readonly preTokenizer: PreTokenizer | null,
    private readonly model: { tokenize(word: string): ModelToken[] },
    private readonly template: TemplatePiece[],
    added: AddedToken[],
  ) {
    for (const [t, id] of vocab) if (!this.idToTokenMap.has(id)) this.idToTokenMap.set(id, t);
    for (const a of added) this.idToTokenMap.set(a.id, a.content);
    this.specialTokenCount = template.reduce((n, p) => n + (p.kind === 'special' ? p.ids.length : 0), 0);
    this.addedByContent = new Map(added.map((a) => [a.content, a]));
    const contents = [...this.addedByContent.keys()].sort((a, b) => b.length - a.length);
    this.addedPattern = contents.length ? new RegExp(contents.map(escapeRegExp).join('|'), 'gu') : null;
  }

  tokenToId(token: string): number | undefined {
    return this.addedByContent.get(token)?.id ?? this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.idToTokenMap.get(id);
  }

  tokenize(text: string): { ids: number[]; tokens: string[] } {
    const ids: number[] = [];
    const tokens: string[] = [];
    for (const seg of this.splitAdded(text)) {
      if (typeof seg !== 'string') {
        ids.push(seg.id);
        tokens.push(seg.content);
        continue;
      }
      const normalized = this.normalizer ? this.normalizer(seg) : seg;
      const pieces = this.preTokenizer ? this.preTokenizer([normalized]) : [normalized];
      for (const piece of pieces) {
        if (!piece) continue;
        for (const t of this.model.tokenize(piece)) {
          ids.push(t.id);
          tokens.push(t.token);
        }
      }
    }
    return { ids, tokens };
  }

  encode(text: string, options: EncodeOptions = {}): Encoding {
    const content = this.tokenize(text);
    let keep = content.ids.length;
    if (options.maxLength !== undefined) {
      const room = options.maxLength - this.specialTokenCount;
      if (!Number.isInteger(options.maxLength) || room < 0) {
        throw new RangeError(`maxLength ${options.maxLength} leaves no room beside ${this.specialTokenCount} special tokens`);
      }
      keep = Math.min(keep, room);
    }
    const enc: Encoding = { ids: [], tokens: [], typeIds: [], special: [], truncated: keep < content.ids.length };
    for (const piece of this.template) {
      if (piece.kind === 'special') {
        enc.ids.push(...piece.ids);
        enc.tokens.push(...piece.tokens);
        for (let i = 0; i < piece.ids.length; i++) {
          enc.typeIds.push(piece.typeId);
          enc.special.push(true);
        }
      } else {
        enc.ids.push(...content.ids.slice(0, keep));
        enc.tokens.push(...content.tokens.slice(0, keep));
        for (let i = 0; i < keep; i++) {
          enc.typeIds.push(piece.typeId);
          enc.special.push(false);
        }
      }
    }
    return enc;
  }

  /** Splits raw text around added tokens (honouring single_word, lstrip and rstrip). */
  private splitAdded(text: string): (string | AddedToken)[] {
    if (!this.addedPattern) return [text];
    const out: (string | AddedToken)[] = [];
    let last = 0;
    const re = new RegExp(this.addedPattern.source, 'gu');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const tok = this.addedByContent.get(m[0]) as AddedToken;
      let start = m.index;
      let end = start + m[0].length;
      if (tok.singleWord && (WORD_CHAR.test(text.charAt(start - 1)) || WORD_CHAR.test(text.charAt(end)))) {
        re.lastIndex = start + 1;
        continue;
      }
      if (tok.lstrip) while (start > last && /\s/u.test(text.charAt(start - 1))) start--;
      if (tok.rstrip) while (end < text.length && /\s/u.test(text.charAt(end))) end++;
      if (start > last) out.push(text.slice(last, start));
      out.push(tok);
      last = end;
      re.lastIndex = end;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Loads a Hugging Face tokenizer.json (text or parsed JSON). */
export function loadTokenizer(source: string | unknown): Tokenizer {
  let json: unknown = source;
  if (typeof source === 'string') {
    try {
      json = JSON.parse(source);
    } catch (e) {
      throw bad(`tokenizer.json is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(json) || !isObject(json.model)) {
    throw bad('not a Hugging Face tokenizer.json: no "model" object (a tokenizer_config.json or vocab.txt is not enough)');
  }
  const model = json.model;
  // Old WordPiece files omit model.type; their vocab + continuing_subword_prefix identify them.
  const modelType =
    typeof model.type === 'string'
      ? model.type
      : typeof model.continuing_subword_prefix === 'string' && !('merges' in model)
        ? 'WordPiece'
        : 'BPE';
  const state = { byteLevel: false };
  const normalizer = buildNormalizer(json.normalizer);
  const preTokenizer = buildPreTokenizer(json.pre_tokenizer, state);
  const template = buildTemplate(json.post_processor);
  const added = readAddedTokens(json.added_tokens);
  if (modelType !== 'WordPiece' && modelType !== 'BPE') throw unsupported(`Unsupported tokenizer model "${modelType}".`);
  const vocab = readVocab(model);

  if (modelType === 'WordPiece') {
    const unk = typeof model.unk_token === 'string' ? model.unk_token : '[UNK]';
    if (!vocab.has(unk)) throw bad(`WordPiece unk_token ${JSON.stringify(unk)} is not in the vocabulary`);
    const wp = new WordPieceModel(
      vocab,
      unk,
      typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '##',
      typeof model.max_input_chars_per_word === 'number' ? model.max_input_chars_per_word : 100,
    );
    return new HfTokenizer('wordpiece', vocab, normalizer, preTokenizer, wp, template, added);
  }
  if (modelType === 'BPE') {
    if (!state.byteLevel) {
      throw unsupported(
        'This BPE tokenizer has no ByteLevel pre-tokenizer (SentencePiece-style BPE such as Llama or T5 is not supported).',
      );
    }
    if ((model.continuing_subword_prefix ?? '') !== '' || (model.end_of_word_suffix ?? '') !== '') {
      throw unsupported('BPE with a continuing_subword_prefix or end_of_word_suffix is not supported.');
    }
    if (model.byte_fallback === true) throw unsupported('BPE with byte_fallback is not supported.');
    const unk = typeof model.unk_token === 'string' ? model.unk_token : null;
    const bpe = new BpeModel(vocab, readMerges(model), unk, model.ignore_merges === true);
    return new HfTokenizer('byte-level-bpe', vocab, normalizer, preTokenizer, bpe, template, added);
  }
  throw unsupported(`Unsupported tokenizer model "${modelType}".`);
}
