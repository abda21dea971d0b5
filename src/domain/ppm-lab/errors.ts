// Errors of the PPM lab: a machine-readable code and a message written for people (which file, line,
// column or option, and what was expected).
import { HyperError } from '../errors';
import { throwIfAborted as abortCheck } from '../util';

export type PpmLabErrorCode =
  /** An option out of range (K, cap, budgets, folds, lambdas, seed, ...). */
  | 'bad-option'
  /** The dataset cannot give candidates (no instance with both labels, tag matrix of the wrong size, ...). */
  | 'bad-dataset'
  /** A results or counts CSV that cannot be read (line and column in the message). */
  | 'bad-results'
  /** Too few rows to fit or cross-validate. */
  | 'too-few-rows'
  /** A fit that cannot be computed (too large, non-finite numbers). */
  | 'bad-fit'
  /** The caller's AbortSignal fired. */
  | 'cancelled';

export class PpmLabError extends HyperError<PpmLabErrorCode> {
  override readonly name = 'PpmLabError';
  constructor(
    code: PpmLabErrorCode,
    message: string,
    /** 1-based line of a CSV problem, when there is one. */
    readonly line?: number,
  ) {
    super(code, message);
  }
}

export function isPpmLabError(e: unknown): e is PpmLabError {
  return e instanceof PpmLabError;
}

export function throwIfAborted(signal: AbortSignal | undefined, what = 'the PPM lab run'): void {
  abortCheck(signal, () => new PpmLabError('cancelled', `${what} was cancelled`));
}
