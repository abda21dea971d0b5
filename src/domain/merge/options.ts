// How human and LM labels are combined (HyPER spec, section 5), with the choices the paper fixes made explicit.
import { MergeError } from './errors';

/** How several annotations of one instance become one human label. */
export type Aggregation =
  /** The paper's rule: majority over winners with strength collapsed; no majority is a tie. */
  | { kind: 'majority' }
  /** Mean of the signed strengths (-2..2), rounded half away from zero so A and B are treated alike. */
  | { kind: 'mean-strength' }
  /** One annotator's label; an instance that annotator did not label counts as unlabelled. */
  | { kind: 'annotator'; annotator: string };

export interface MergeOptions {
  aggregate: Aggregation;
  /** Routed to humans but without a human label: take the LM label, or leave the instance out. */
  unlabelled: 'lm' | 'omit';
  /** Final labels that are ties: drop them (the paper) or keep them. */
  ties: 'drop' | 'keep';
  /**
   * Human labels already in the dataset (e.g. PandaLM's votes): 'use' takes them for routed instances that have
   * no annotations (the paper's simulated setting, where every instance has both labels); 'ignore' does not.
   */
  fileHuman: 'ignore' | 'use';
  /** Count only annotations made in this plan's queue; unset: annotations of every plan count. */
  planId?: string;
  /**
   * Pairs with an empty response or identical responses (pair-defects.ts): left out (default), or kept. They
   * carry no preference a model could learn from.
   */
  degenerate: 'drop' | 'keep';
}

export const DEFAULT_MERGE_OPTIONS: MergeOptions = {
  aggregate: { kind: 'majority' },
  unlabelled: 'lm',
  ties: 'drop',
  fileHuman: 'ignore',
  degenerate: 'drop',
};

/** Reads 'majority', 'mean-strength' or 'annotator:NAME'. */
export function parseAggregation(text: string): Aggregation {
  if (text === 'majority' || text === 'mean-strength') return { kind: text };
  if (text.startsWith('annotator:')) {
    const annotator = text.slice('annotator:'.length);
    if (annotator.trim() === '') throw new MergeError('bad-option', 'aggregation "annotator:" needs a name, e.g. annotator:alice');
    return { kind: 'annotator', annotator };
  }
  throw new MergeError('bad-option', `unknown aggregation "${text}": expected majority, mean-strength or annotator:NAME`);
}

/** The inverse of parseAggregation. */
export function aggregationText(a: Aggregation): string {
  return a.kind === 'annotator' ? `annotator:${a.annotator}` : a.kind;
}

/** Fills defaults and checks every field, naming the one that is wrong. */
export function resolveMergeOptions(partial: Partial<MergeOptions> = {}): MergeOptions {
  const o: MergeOptions = { ...DEFAULT_MERGE_OPTIONS, ...partial };
  const kind = (o.aggregate as { kind?: unknown } | undefined)?.kind;
  if (kind !== 'majority' && kind !== 'mean-strength' && kind !== 'annotator') {
    throw new MergeError('bad-option', `aggregate.kind must be majority, mean-strength or annotator, got ${JSON.stringify(kind)}`);
  }
  if (o.aggregate.kind === 'annotator' && (typeof o.aggregate.annotator !== 'string' || o.aggregate.annotator === '')) {
    throw new MergeError('bad-option', 'aggregate.annotator must name an annotator');
  }
  if (o.unlabelled !== 'lm' && o.unlabelled !== 'omit')
    throw new MergeError('bad-option', `unlabelled must be "lm" or "omit", got ${JSON.stringify(o.unlabelled)}`);
  if (o.ties !== 'drop' && o.ties !== 'keep')
    throw new MergeError('bad-option', `ties must be "drop" or "keep", got ${JSON.stringify(o.ties)}`);
  if (o.fileHuman !== 'ignore' && o.fileHuman !== 'use')
    throw new MergeError('bad-option', `fileHuman must be "ignore" or "use", got ${JSON.stringify(o.fileHuman)}`);
  if (o.planId !== undefined && typeof o.planId !== 'string') throw new MergeError('bad-option', 'planId must be a string');
  if (o.degenerate !== 'drop' && o.degenerate !== 'keep')
    throw new MergeError('bad-option', `degenerate must be "drop" or "keep", got ${JSON.stringify(o.degenerate)}`);
  return o;
}
