// Errors of the merge step. Each names the file, line, instance or field that is wrong and what was expected.
import { HyperError } from '../errors';

export type MergeErrorCode = 'bad-annotations' | 'bad-option' | 'plan-mismatch' | 'annotation-mismatch' | 'orientation-mismatch';

export interface AnnotationsFileProblem {
  /** 1-based line in the file where the offending annotation starts. */
  line: number;
  message: string;
}

export class MergeError extends HyperError<MergeErrorCode> {
  override readonly name = 'MergeError';
  constructor(
    code: MergeErrorCode,
    message: string,
    /** For 'bad-annotations': every problem found, in file order. */
    readonly problems: readonly AnnotationsFileProblem[] = [],
  ) {
    super(code, message);
  }
}
