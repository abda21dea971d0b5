// What an export had to change in text to write it, counted for the manifest: nothing is altered without a word.

export interface TextFixes {
  /** CSV text cells that started like a spreadsheet formula and got a leading apostrophe. */
  formulaGuarded: number;
  /** CSV text cells whose NUL characters became U+FFFD. */
  nulReplaced: number;
  /**
   * Text cells holding an unpaired UTF-16 surrogate (broken text from the source). UTF-8 cannot encode one, so
   * CSV and Parquet write it as U+FFFD; JSON lines keep it as a \uXXXX escape.
   */
  loneSurrogates: number;
}

export const noTextFixes = (): TextFixes => ({ formulaGuarded: 0, nulReplaced: 0, loneSurrogates: 0 });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` holds a UTF-16 surrogate that is not half of a pair. */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}
