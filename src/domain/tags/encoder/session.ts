// Running a user-supplied transformer encoder. The ONNX runtime is not imported here: the app adapts
// onnxruntime-web's InferenceSession to `EncoderSession` and passes it in, so this code also runs in Node
// and in workers with any runtime (or a fake in tests).
import type { Tokenizer } from './tokenizer';
import { HyperError } from '../../errors';

export interface EncoderFeed {
  data: BigInt64Array | Float32Array;
  dims: number[];
}

export interface EncoderOutput {
  data: Float32Array;
  dims: readonly number[];
}

/** The slice of an inference session the encoder needs (onnxruntime-web's InferenceSession fits, via a small adapter). */
export interface EncoderSession {
  run(feeds: Record<string, EncoderFeed>): Promise<Record<string, EncoderOutput>>;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

/** A loaded encoder: the ONNX session and its tokenizer.json. */
export interface Encoder {
  session: EncoderSession;
  tokenizer: Tokenizer;
  /** Token-embedding output to read; default: 'token_embeddings', else 'last_hidden_state', else the only output. */
  outputName?: string;
}

export type EncoderErrorCode = 'missing-input' | 'unsupported-input' | 'no-token-output' | 'bad-output-shape';

/** An encoder model whose inputs or outputs do not have the layout this code expects. */
export class EncoderError extends HyperError<EncoderErrorCode> {
  override readonly name = 'EncoderError';
}

/** Token embeddings of one text: data is row-major [tokens, hidden]. */
export interface TokenEmbeddings {
  ids: number[];
  /** Special tokens ([CLS]/[SEP], <s>/</s>) added by the tokenizer's post-processor. */
  special: boolean[];
  tokens: number;
  hidden: number;
  data: Float32Array;
}

export const TOKEN_OUTPUT_NAMES = ['token_embeddings', 'last_hidden_state'] as const;

/** Which output holds the per-token embeddings. */
export function tokenOutputName(encoder: Encoder): string {
  const names = encoder.session.outputNames;
  if (encoder.outputName !== undefined) {
    if (!names.includes(encoder.outputName)) {
      throw new EncoderError('no-token-output', `the encoder has no output "${encoder.outputName}" (outputs: ${names.join(', ')})`);
    }
    return encoder.outputName;
  }
  const known = TOKEN_OUTPUT_NAMES.find((n) => names.includes(n));
  if (known) return known;
  if (names.length === 1) return names[0] as string;
  throw new EncoderError(
    'no-token-output',
    `cannot tell which encoder output holds token embeddings (outputs: ${names.join(', ')}); expected "token_embeddings" or "last_hidden_state"`,
  );
}

/** Checks that the session's inputs are ones we can feed (call once when a model is loaded). */
export function checkEncoderInputs(session: EncoderSession): void {
  if (!session.inputNames.includes('input_ids')) {
    throw new EncoderError('missing-input', `the encoder has no "input_ids" input (inputs: ${session.inputNames.join(', ')})`);
  }
  const other = session.inputNames.filter((n) => !FEEDABLE.has(n));
  if (other.length) {
    throw new EncoderError(
      'unsupported-input',
      `the encoder needs inputs this app cannot provide: ${other.join(', ')} (supported: ${[...FEEDABLE].join(', ')})`,
    );
  }
}

const FEEDABLE = new Set(['input_ids', 'attention_mask', 'token_type_ids', 'position_ids']);

/** Runs the encoder on one token sequence ([1, T] int64 inputs) and returns its token embeddings. */
export async function runEncoder(
  encoder: Encoder,
  ids: readonly number[],
  typeIds: readonly number[],
  special: readonly boolean[],
): Promise<TokenEmbeddings> {
  const { session } = encoder;
  checkEncoderInputs(session);
  const T = ids.length;
  const feeds: Record<string, EncoderFeed> = {};
  const int64 = (value: (i: number) => number): EncoderFeed => {
    const data = new BigInt64Array(T);
    for (let i = 0; i < T; i++) data[i] = BigInt(value(i));
    return { data, dims: [1, T] };
  };
  for (const name of session.inputNames) {
    if (name === 'input_ids') feeds[name] = int64((i) => ids[i] as number);
    else if (name === 'attention_mask') feeds[name] = int64(() => 1);
    else if (name === 'token_type_ids') feeds[name] = int64((i) => typeIds[i] ?? 0);
    else if (name === 'position_ids') feeds[name] = int64((i) => i);
  }
  const outName = tokenOutputName(encoder);
  const out = (await session.run(feeds))[outName];
  if (!out) throw new EncoderError('no-token-output', `the encoder returned no "${outName}"`);
  const dims = out.dims;
  const ok3 = dims.length === 3 && dims[0] === 1 && dims[1] === T;
  const ok2 = dims.length === 2 && dims[0] === T;
  if (!ok3 && !ok2) {
    throw new EncoderError('bad-output-shape', `"${outName}" has shape [${dims.join(', ')}], expected [1, ${T}, hidden] token embeddings`);
  }
  const hidden = dims[dims.length - 1] as number;
  if (out.data.length !== T * hidden)
    throw new EncoderError('bad-output-shape', `"${outName}" holds ${out.data.length} values for shape [${dims.join(', ')}]`);
  return { ids: [...ids], special: [...special], tokens: T, hidden, data: out.data };
}

/** Tokenises (stripped, truncated to maxTokens including special tokens) and embeds one text. */
export async function embedText(encoder: Encoder, text: string, maxTokens: number): Promise<TokenEmbeddings> {
  const enc = encoder.tokenizer.encode(text.trim(), { maxLength: maxTokens });
  return runEncoder(encoder, enc.ids, enc.typeIds, enc.special);
}
