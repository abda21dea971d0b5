// Which response of a pair is "A". For most layouts the file says (response_a, completion_a, ...). TRL and
// Anthropic HH files only say chosen/rejected, so the importer places the chosen one on A or B by a coin seeded
// with the side seed: the same file read with another seed swaps about half the pairs, and every A/B label
// made on it (annotations, plans' human labels) then means the opposite. So the orientation travels with
// plans and annotation files, and a merge that would read the data another way is refused.
import type { LayoutId } from './types';

/** How a dataset's A/B sides were fixed when it was read. */
export interface DatasetOrientation {
  /** The layout the file was read as. */
  layout: LayoutId;
  /** The side seed, for layouts that place chosen/rejected by a coin; null for layouts whose file names A and B. */
  sideSeed: number | null;
}

/** Layouts whose A/B placement comes from the side coin. */
export function usesSideCoin(layout: LayoutId): boolean {
  return layout === 'trl-string' || layout === 'trl-conversational' || layout === 'anthropic-hh';
}

/** The orientation of a dataset read as `layout` with side seed `seed`. */
export function orientationOf(layout: LayoutId, seed: number): DatasetOrientation {
  return { layout, sideSeed: usesSideCoin(layout) ? seed : null };
}

/** Reads an orientation recorded in a file (plan, annotations); null when absent, an error text when malformed. */
export function readOrientation(value: unknown, where: string): DatasetOrientation | null | string {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return `${where} must be an object {layout, sideSeed}`;
  const v = value as Record<string, unknown>;
  if (typeof v.layout !== 'string' || v.layout === '') return `${where}.layout must be a layout name`;
  if (v.sideSeed !== null && !Number.isInteger(v.sideSeed))
    return `${where}.sideSeed must be an integer or null, got ${JSON.stringify(v.sideSeed)}`;
  return { layout: v.layout as LayoutId, sideSeed: v.sideSeed as number | null };
}

/**
 * Why data read with orientation `actual` cannot be merged with labels made on data read as `recorded` (by
 * `source`, e.g. "plan.json"), or null when they agree. The message says what to pass instead.
 */
export function orientationMismatch(recorded: DatasetOrientation, actual: DatasetOrientation, source: string): string | null {
  if (recorded.layout !== actual.layout) {
    return `${source} was made on the data read as layout "${recorded.layout}", but this run reads it as "${actual.layout}": pass --layout ${recorded.layout}`;
  }
  if (recorded.sideSeed !== actual.sideSeed && recorded.sideSeed !== null) {
    return (
      `${source} was made on the data read with side seed ${recorded.sideSeed}, but this run reads it with side seed ${actual.sideSeed ?? 'none'}: ` +
      `the coin would put about half of the chosen responses on the other side and flip their labels. Pass --side-seed ${recorded.sideSeed} (or leave --side-seed out: the recorded seed is used)`
    );
  }
  return null;
}
