// Errors the user sees. Every one is a HyperError: a machine-readable code and a message written for people.
// Each area narrows the code to its own union (RoutingError, MergeError, ...); code that only needs the code
// reads it with errorCode, which also reads errors that crossed a worker boundary as plain objects.

/**
 * Codes of errors that belong to no one area: a missing record, a cancelled job, a request the worker does not
 * know, a PPM that does not run (`ppm-<contract code>`), ... Each area has its own union besides (ImportErrorCode,
 * RoutingErrorCode, MergeErrorCode, ...).
 */
export type GeneralErrorCode =
  | 'not-found'
  | 'cancelled'
  | 'bad-request'
  | 'bad-option'
  | 'bad-dataset'
  | 'bad-model'
  | 'bad-tokenizer'
  | 'bad-origin'
  | 'bad-json'
  | 'built-in'
  | 'too-large'
  | 'no-features'
  | 'stale-features'
  | 'not-prepared'
  | 'plan-mismatch'
  | 'worker-crashed'
  | 'not-stored'
  | 'ppm-run'
  | 'server'
  | `ppm-${string}`;

/** An error of no one area (see GeneralErrorCode). */
export function generalError(code: GeneralErrorCode, message: string): HyperError<GeneralErrorCode> {
  return new HyperError(code, message);
}

/** The one error type of the app: a code (a union per area) and a message for people. */
export class HyperError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The code of an error value (a HyperError, a worker's error object, anything with a string `code`), or undefined. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

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
export class ImportError extends HyperError<ImportErrorCode> {
  override readonly name = 'ImportError';
}
