// Semantic scores (cosine_sim, bertscore, bertscore_length) from an encoder the user loads from disk:
// an ONNX transformer export plus its Hugging Face tokenizer.json. See docs/encoder.md.
export { loadTokenizer, TokenizerError } from './tokenizer';
export type { EncodeOptions, Encoding, Tokenizer, TokenizerErrorCode } from './tokenizer';
export { checkEncoderInputs, embedText, EncoderError, runEncoder, TOKEN_OUTPUT_NAMES, tokenOutputName } from './session';
export type { Encoder, EncoderErrorCode, EncoderFeed, EncoderOutput, EncoderSession, TokenEmbeddings } from './session';
export { BERTSCORE_MAX_TOKENS, bertScore, COSINE_MAX_TOKENS, cosineSimilarity, encoderScores, lengthPenalty, meanPool } from './scores';
export type { BertScoreOptions, EncoderScoreOptions, EncoderScores } from './scores';
export { countWords, wordTokens } from './words';
