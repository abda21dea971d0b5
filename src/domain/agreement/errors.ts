// Errors of the agreement statistics. Each says which item, annotator or value is wrong and what was expected.

export type AgreementErrorCode = 'duplicate-rating' | 'unknown-category' | 'bad-input';

export class AgreementError extends Error {
  override readonly name = 'AgreementError';
  constructor(
    readonly code: AgreementErrorCode,
    message: string,
  ) {
    super(message);
  }
}
