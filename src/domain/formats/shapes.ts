// The shape registry: recognition (which shape a file is in) and the defaults each shape implies.
import { arenaShape } from './shape-arena';
import { customShape } from './shape-custom';
import { hhShape } from './shape-hh';
import { multiprefShape } from './shape-multipref';
import { pairsShape } from './shape-pairs';
import { trlConversationalShape, trlStringShape } from './shape-trl';
import type { ShapeGuess } from './report';
import { DEFAULT_MAP_OPTIONS, type LabelSource, type MapOptions, type RawRow, type Shape, type ShapeId } from './types';

export const SHAPES: Record<ShapeId, Shape> = {
  pairs: pairsShape,
  'hyper-multipref': multiprefShape,
  'trl-string': trlStringShape,
  'trl-conversational': trlConversationalShape,
  arena: arenaShape,
  'anthropic-hh': hhShape,
  custom: customShape,
};

/** The shape implementation for an id. */
export function shapeById(id: ShapeId): Shape {
  return SHAPES[id];
}

/** Shapes that fit the columns and sample, best first; `custom` is never listed (it is the fallback). */
export function recogniseShapes(columns: Iterable<string>, sample: readonly RawRow[]): ShapeGuess[] {
  const set = columns instanceof Set ? (columns as ReadonlySet<string>) : new Set(columns);
  const guesses: ShapeGuess[] = [];
  for (const shape of Object.values(SHAPES)) {
    if (shape.id === 'custom') continue;
    const score = shape.score(set, sample);
    if (score > 0) guesses.push({ shape: shape.id, score });
  }
  return guesses.sort((a, b) => b.score - a.score);
}

/** Who gave a chosen/rejected label unless the user says otherwise: people for HH (and Arena), an LM for TRL. */
export function defaultChosenLabelSource(shape: ShapeId): LabelSource {
  return shape === 'anthropic-hh' || shape === 'arena' ? 'human' : 'lm';
}

/** DEFAULT_MAP_OPTIONS with the shape's default label source. */
export function defaultMapOptions(shape: ShapeId): MapOptions {
  return { ...DEFAULT_MAP_OPTIONS, chosenLabelSource: defaultChosenLabelSource(shape) };
}
