// Errors the user sees. Every one carries a machine-readable code and a message written for people.

export type ImportErrorCode =
  | 'empty-file'
  | 'not-gzip'
  | 'format-mismatch'
  | 'unknown-format'
  | 'bad-json'
  | 'bad-parquet'
  | 'no-rows'
  | 'no-shape'
  | 'bad-mapping'
  | 'cancelled'
  | 'too-large'
  | 'not-utf8';

/** A whole-file import failure (per-row problems go into the report instead). */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isImportError(e: unknown): e is ImportError {
  return e instanceof ImportError;
}
