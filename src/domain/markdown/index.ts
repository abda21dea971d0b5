// Safe Markdown: untrusted text in, a typed tree out (see docs/security.md).
export type { Align, MdBlock, MdInline } from './ast';
export { plainText } from './ast';
export { MAX_BLOCK_DEPTH, MAX_TABLE_COLUMNS, parseMarkdown, type ParseOptions } from './blocks';
export { MAX_INLINE_CHARS, MAX_INLINE_DEPTH } from './inline';
export { isEmailAddress, MAX_HREF_LENGTH, safeHref } from './policy';
export { highlight, languageFamily, MAX_HIGHLIGHT_CHARS, type LanguageFamily, type Token, type TokenKind } from './highlight';
