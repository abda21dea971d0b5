// Pairs that carry no preference: a response that is empty (or only whitespace), or two responses that are the
// same text. Neither teaches a reward model anything (a TRL row with chosen == rejected, or an empty rejected,
// is noise), and routing such a pair to humans wastes a paid label, so they are left out of routing and of the
// exported dataset by default, and counted wherever they are left out.
import type { PairRecord } from './instance';

export type PairDefect = 'empty' | 'identical';

/** Codes of PairDefect in a Uint8Array column (0 = a usable pair). */
export const DEFECT_CODE: Record<PairDefect, number> = { empty: 1, identical: 2 };

function normalised(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** What makes the pair unusable, or null. Whitespace differences alone do not make two responses different. */
export function pairDefect(r: Pick<PairRecord, 'responseA' | 'responseB'>): PairDefect | null {
  const a = normalised(r.responseA);
  const b = normalised(r.responseB);
  if (a === '' || b === '') return 'empty';
  return a === b ? 'identical' : null;
}

/** The defect of a code stored in a column (see DEFECT_CODE). */
export function defectOfCode(code: number): PairDefect | null {
  return code === DEFECT_CODE.empty ? 'empty' : code === DEFECT_CODE.identical ? 'identical' : null;
}

/** Counts of the defects in a column of codes. */
export function countDefects(codes: Uint8Array | undefined): Record<PairDefect, number> {
  const out = { empty: 0, identical: 0 };
  if (!codes) return out;
  for (const c of codes) {
    const d = defectOfCode(c);
    if (d) out[d]++;
  }
  return out;
}

/** The defect codes of records (a Uint8Array column, 0 = usable). */
export function defectCodes(records: readonly Pick<PairRecord, 'responseA' | 'responseB'>[]): Uint8Array {
  const out = new Uint8Array(records.length);
  records.forEach((r, i) => {
    const d = pairDefect(r);
    if (d) out[i] = DEFECT_CODE[d];
  });
  return out;
}
