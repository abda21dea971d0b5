// Errors of the agreement statistics. Each says which item, annotator or value is wrong and what was expected.
import { HyperError } from '../errors';

export type AgreementErrorCode = 'duplicate-rating' | 'unknown-category' | 'bad-input';

export class AgreementError extends HyperError<AgreementErrorCode> {
  override readonly name = 'AgreementError';
}
