// The shape registry: recognition (which shape a file is in) and the defaults each shape implies.
import { arenaLayout } from './layout-arena';
import { customLayout } from './layout-custom';
import { hhLayout } from './layout-hh';
import { multiprefLayout } from './layout-multipref';
import { pairsLayout } from './layout-pairs';
import { trlConversationalLayout, trlStringLayout } from './layout-trl';
import type { LayoutGuess } from './report';
import { DEFAULT_MAP_OPTIONS, type LabelSource, type MapOptions, type RawRow, type Layout, type LayoutId } from './types';

export const LAYOUTS: Record<LayoutId, Layout> = {
  pairs: pairsLayout,
  'hyper-multipref': multiprefLayout,
  'trl-string': trlStringLayout,
  'trl-conversational': trlConversationalLayout,
  arena: arenaLayout,
  'anthropic-hh': hhLayout,
  custom: customLayout,
};

/** The shape implementation for an id. */
export function layoutById(id: LayoutId): Layout {
  return LAYOUTS[id];
}

/** Layouts that fit the columns and sample, best first; `custom` is never listed (it is the fallback). */
export function recogniseLayouts(columns: Iterable<string>, sample: readonly RawRow[]): LayoutGuess[] {
  const set = columns instanceof Set ? (columns as ReadonlySet<string>) : new Set(columns);
  const guesses: LayoutGuess[] = [];
  for (const shape of Object.values(LAYOUTS)) {
    if (shape.id === 'custom') continue;
    const score = shape.score(set, sample);
    if (score > 0) guesses.push({ shape: shape.id, score });
  }
  return guesses.sort((a, b) => b.score - a.score);
}

/** Who gave a chosen/rejected label unless the user says otherwise: people for HH (and Arena), an LM for TRL. */
export function defaultChosenLabelSource(shape: LayoutId): LabelSource {
  return shape === 'anthropic-hh' || shape === 'arena' ? 'human' : 'lm';
}

/** DEFAULT_MAP_OPTIONS with the shape's default label source. */
export function defaultMapOptions(shape: LayoutId): MapOptions {
  return { ...DEFAULT_MAP_OPTIONS, chosenLabelSource: defaultChosenLabelSource(shape) };
}
