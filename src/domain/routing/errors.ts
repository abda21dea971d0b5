// Errors of the routing strategies: a machine-readable code and a message written for people.
import { HyperError } from '../errors';
import { throwIfAborted as abortCheck } from '../util';

export type RoutingErrorCode =
  /** A budget (count, fraction or money amount) that cannot be used. */
  | 'bad-budget'
  /** An option that is out of range (K, seed, batch size, ...). */
  | 'bad-option'
  /** A tag matrix that does not fit the stated number of instances. */
  | 'bad-matrix'
  /** A PPM evaluator that does not take the tag counts (TAG_COUNT of them). */
  | 'bad-ppm'
  /** A PPM evaluator returned the wrong number of scores or a non-finite score. */
  | 'bad-ppm-output'
  /** A routing plan file that cannot be read. */
  | 'bad-plan'
  /** The caller's AbortSignal fired. */
  | 'cancelled';

export class RoutingError extends HyperError<RoutingErrorCode> {
  override readonly name = 'RoutingError';
}

export function isRoutingError(e: unknown): e is RoutingError {
  return e instanceof RoutingError;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  abortCheck(signal, () => new RoutingError('cancelled', 'routing was cancelled'));
}
