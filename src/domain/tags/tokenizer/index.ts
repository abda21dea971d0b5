// Llama / Llama-2 SentencePiece token counting (HyPER lexical features, spec section 2.1).
export { clearTokenCache, countTokens, encode } from './llama-bpe';
