// Small helpers the shape recognisers and mappers share.
import type { Label } from '../labels';
import { chosenOnA } from './coin';
import { isMissing } from './record-builder';
import type { MapOptions, RawRow } from './types';

/** True when every key is a column. */
export function hasAll(columns: ReadonlySet<string>, ...keys: string[]): boolean {
  return keys.every((k) => columns.has(k));
}

/** Counts how many of the keys are columns. */
export function countColumns(columns: ReadonlySet<string>, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) if (columns.has(k)) n++;
  return n;
}

/**
 * The share of sampled rows whose `key` holds a value that passes `test`, among rows where it holds any value.
 * 0 when no sampled row has a value.
 */
export function sampleShare(sample: readonly RawRow[], key: string, test: (value: unknown) => boolean): number {
  let seen = 0;
  let passed = 0;
  for (const row of sample) {
    const value = row.value[key];
    if (isMissing(value)) continue;
    seen++;
    if (test(value)) passed++;
  }
  return seen === 0 ? 0 : passed / seen;
}

/** Places a chosen/rejected pair on A/B by the seeded coin and labels it for the configured source. */
export function placeChosen<T>(
  chosen: T,
  rejected: T,
  key: string,
  options: MapOptions,
): { responseA: T; responseB: T; lm?: Label; human?: Label } {
  const onA = chosenOnA(options.seed, key);
  const label: Label = { value: onA ? 'A>B' : 'B>A', original: 'chosen' };
  return {
    responseA: onA ? chosen : rejected,
    responseB: onA ? rejected : chosen,
    ...(options.chosenLabelSource === 'human' ? { human: label } : { lm: label }),
  };
}
