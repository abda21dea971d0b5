// The hybrid dataset: for each instance, the human label where people labelled it, otherwise the LM label
// (HyPER spec, sections 1 and 5). The plan decides what is routed, not what is kept: a human label made under
// an earlier plan (or in a pack of one) stays in the dataset after a re-route, unless the merge is restricted
// to one plan's annotations (options.planId). A routed instance nobody labelled falls back to the LM label or
// is left out (options.unlabelled). Works chunk by chunk so a worker can stream 100k instances; plan and
// annotations are small and held whole.
import type { Annotation } from '../annotation';
import type { PairRecord } from '../instance';
import { winnerOf, type Preference, type Winner } from '../labels';
import { pairDefect, type PairDefect } from '../pair-defects';
import type { PlanFileHuman } from '../routing/plan-file';
import { aggregateAnnotations, countedAnnotations, type AnnotationVerdict, type CountedAnnotation } from './aggregate';
import { MergeError } from './errors';
import { resolveMergeOptions, type MergeOptions } from './options';

export type MergeSource = 'human' | 'lm';

/** What the merge knows about one instance, whatever became of it. */
export interface MergeProvenance {
  /** 0-based position of the instance in the dataset. */
  idx: number;
  record: PairRecord;
  /** True when the plan sent the instance to humans. */
  routed: boolean;
  /** The plan's gain for routed instances; null otherwise. */
  gain: number | null;
  /** The human label in effect for a routed instance, null when it has none (not computed for unrouted ones). */
  human: Preference | null;
  /** Where `human` came from: the annotations, or the dataset's own human label (option fileHuman: 'use'). */
  humanFrom: 'annotations' | 'file' | null;
  /** The LM judge's label. */
  lm: Preference | null;
  /** The annotations `human` was computed from. */
  used: readonly CountedAnnotation[];
  /** Every counted annotation of the instance (one per annotator), used or not. */
  annotations: readonly CountedAnnotation[];
}

export type MergeOutcome = 'kept' | 'tie-dropped' | 'unlabelled-omitted' | 'no-label' | 'degenerate-omitted';

/** An instance of the hybrid dataset: its final label, where the label came from, and the provenance. */
export type MergedRecord = MergeProvenance & { outcome: 'kept'; label: Preference; source: MergeSource };

export type MergeDecision =
  | MergedRecord
  | (MergeProvenance & { outcome: 'tie-dropped'; label: Preference; source: MergeSource })
  | (MergeProvenance & { outcome: 'unlabelled-omitted' | 'no-label'; label: null; source: null })
  | (MergeProvenance & { outcome: 'degenerate-omitted'; label: null; source: null; defect: PairDefect });

export type WinnerCounts = Record<Winner, number>;

export interface MergeSummary {
  options: MergeOptions;
  /** Instances seen. */
  instances: number;
  /** Instances in the hybrid dataset. */
  output: number;
  bySource: Record<MergeSource, number>;
  /** Winners of the output's final labels. */
  winners: WinnerCounts;
  routed: number;
  /** Routed instances with a human label. */
  routedLabelled: number;
  /**
   * Instances the plan did not route that take a human label all the same: annotations made under another
   * plan (counted in bySource.human).
   */
  humanOutsidePlan: number;
  /** Routed instances without a human label (then given the LM label, or omitted, per options.unlabelled). */
  routedUnlabelled: number;
  /** Of those, how many took the LM label instead. */
  routedUnlabelledToLm: number;
  omitted: {
    /** Routed, unlabelled, left out because options.unlabelled is 'omit'. */
    unlabelled: number;
    /** No label from either source that the rules allow. */
    noLabel: number;
    /** An empty response or identical responses, left out by options.degenerate 'drop'. */
    degenerate: Record<PairDefect, number>;
  };
  /** Ties dropped under ties: 'drop', by the source of the tie. */
  tiesDropped: Record<MergeSource, number>;
  /** Ties in the output under ties: 'keep'. */
  tiesKept: number;
  annotations: {
    /** Annotation objects passed in. */
    given: number;
    /** Submitted with an overall preference, latest per annotator and instance (and of options.planId). */
    counted: number;
    /** Counted annotations that made a human label in effect. */
    used: number;
    /** Counted on instances the plan did not route (made under another plan); they give those instances their human label. */
    notRouted: number;
    /** Drafts, skips, and submissions without an overall preference. */
    incomplete: number;
    /** Earlier annotations replaced by a later one of the same annotator on the same instance. */
    superseded: number;
    /** Left out by options.planId. */
    otherPlan: number;
    /**
     * Copies of another annotation in the input, carried into a newer plan when it was locked (the same label,
     * counted once). `given - carried` is the number of annotations people made.
     */
    carried: number;
  };
  /**
   * Human vs LM on instances that have both labels in effect, at the winner level (A, B, tie: ties are a class),
   * before any tie is dropped. `table[human][lm]` counts instances.
   */
  agreement: { compared: number; agree: number; rate: number | null; table: Record<Winner, WinnerCounts> };
}

/** What a merge needs besides the records. */
export interface MergeInput {
  /** The routing plan, or just what it routes (PlanFile fits). `dataset.n`, when given, is checked at the end. */
  plan: { human: readonly PlanFileHuman[]; dataset?: { n: number } };
  annotations: readonly Annotation[];
  options?: Partial<MergeOptions>;
}

const zeroWinners = (): WinnerCounts => ({ A: 0, B: 0, tie: 0 });

/**
 * Merges records chunk by chunk: call `decide` (every instance) or `push` (only the kept ones) with the records
 * in dataset order, then `finish` for the summary. Throws MergeError when the plan or an annotation names an
 * instance id that is not the dataset's at that position, or a position past its end.
 */
export class Merger {
  readonly options: MergeOptions;
  private readonly routedGain = new Map<number, PlanFileHuman>();
  private readonly byIdx = new Map<number, Annotation[]>();
  private readonly planN: number | undefined;
  private next = 0;
  private finished: MergeSummary | null = null;
  private readonly s: MergeSummary;

  constructor(input: MergeInput) {
    this.options = resolveMergeOptions(input.options);
    for (const h of input.plan.human) {
      if (this.routedGain.has(h.idx)) throw new MergeError('plan-mismatch', `plan: instance ${h.idx} is routed twice`);
      this.routedGain.set(h.idx, h);
    }
    this.planN = input.plan.dataset?.n;
    for (const a of input.annotations) {
      const list = this.byIdx.get(a.idx);
      if (list) list.push(a);
      else this.byIdx.set(a.idx, [a]);
    }
    this.s = {
      options: this.options,
      instances: 0,
      output: 0,
      bySource: { human: 0, lm: 0 },
      winners: zeroWinners(),
      routed: 0,
      routedLabelled: 0,
      humanOutsidePlan: 0,
      routedUnlabelled: 0,
      routedUnlabelledToLm: 0,
      omitted: { unlabelled: 0, noLabel: 0, degenerate: { empty: 0, identical: 0 } },
      tiesDropped: { human: 0, lm: 0 },
      tiesKept: 0,
      annotations: {
        given: input.annotations.length,
        counted: 0,
        used: 0,
        notRouted: 0,
        incomplete: 0,
        superseded: 0,
        otherPlan: 0,
        carried: 0,
      },
      agreement: { compared: 0, agree: 0, rate: null, table: { A: zeroWinners(), B: zeroWinners(), tie: zeroWinners() } },
    };
  }

  /** Position of the next record to come. */
  get position(): number {
    return this.next;
  }

  /** Decides the next records (dataset order); every instance gets a decision. */
  decide(records: readonly PairRecord[]): MergeDecision[] {
    if (this.finished) throw new Error('Merger: decide after finish');
    const out: MergeDecision[] = [];
    for (const record of records) out.push(this.decideOne(this.next++, record));
    return out;
  }

  /** Decides the next records and returns only those that stay in the hybrid dataset. */
  push(records: readonly PairRecord[]): MergedRecord[] {
    return this.decide(records).filter((d): d is MergedRecord => d.outcome === 'kept');
  }

  /** Ends the merge: checks that the plan and annotations fit the dataset's length, and returns the summary. */
  finish(): MergeSummary {
    if (this.finished) return this.finished;
    const n = this.next;
    if (this.planN !== undefined && this.planN !== n) {
      throw new MergeError('plan-mismatch', `plan: made for a dataset of ${this.planN} instances, this one has ${n}`);
    }
    for (const h of this.routedGain.values()) {
      if (h.idx >= n)
        throw new MergeError('plan-mismatch', `plan: routes instance ${h.idx} ("${h.id}"), but the dataset has ${n} instances`);
    }
    for (const [idx, list] of this.byIdx) {
      if (idx >= n || idx < 0 || !Number.isInteger(idx)) {
        throw new MergeError(
          'annotation-mismatch',
          `annotation "${list[0]!.id}": instance ${idx} ("${list[0]!.instanceId}") is not in the dataset (${n} instances)`,
        );
      }
    }
    const a = this.s.agreement;
    a.rate = a.compared === 0 ? null : a.agree / a.compared;
    this.finished = structuredClone(this.s);
    return this.finished;
  }

  private decideOne(idx: number, record: PairRecord): MergeDecision {
    const s = this.s;
    const o = this.options;
    s.instances++;
    const plan = this.routedGain.get(idx);
    if (plan && plan.id !== record.id) {
      throw new MergeError(
        'plan-mismatch',
        `plan: instance ${idx} should be "${plan.id}" but the dataset has "${record.id}" there (is the plan for another dataset?)`,
      );
    }
    const given = this.byIdx.get(idx) ?? [];
    for (const a of given) {
      if (a.instanceId !== record.id) {
        throw new MergeError(
          'annotation-mismatch',
          `annotation "${a.id}": instance ${idx} should be "${a.instanceId}" but the dataset has "${record.id}" there`,
        );
      }
    }
    const { counted, verdicts } = countedAnnotations(given, o.planId);
    this.tallyVerdicts(verdicts);
    const routed = plan !== undefined;
    const lm = record.lm?.value ?? null;
    let human: Preference | null = null;
    let humanFrom: MergeProvenance['humanFrom'] = null;
    let used: CountedAnnotation[] = [];
    const defect = o.degenerate === 'drop' ? pairDefect(record) : null;
    if (defect) {
      // No label of such a pair is used; its annotations are counted as made, not as used.
      s.omitted.degenerate[defect]++;
      const base: MergeProvenance = {
        idx,
        record,
        routed,
        gain: plan ? plan.gain : null,
        human,
        humanFrom,
        lm,
        used,
        annotations: counted,
      };
      return { ...base, outcome: 'degenerate-omitted', label: null, source: null, defect };
    }
    if (routed) s.routed++;
    else s.annotations.notRouted += counted.length;
    // Annotations give the human label wherever they are, routed or not (made under an earlier plan); the file's
    // own human label stands in only for routed pairs.
    const agg = aggregateAnnotations(counted, o.aggregate);
    if (agg) {
      human = agg.value;
      humanFrom = 'annotations';
      used = agg.used;
    } else if (routed && o.fileHuman === 'use' && record.human) {
      human = record.human.value;
      humanFrom = 'file';
    }
    s.annotations.used += used.length;
    const base: MergeProvenance = { idx, record, routed, gain: plan ? plan.gain : null, human, humanFrom, lm, used, annotations: counted };

    if (human !== null) {
      if (routed) s.routedLabelled++;
      else s.humanOutsidePlan++;
      if (lm !== null) this.compare(human, lm);
      return this.labelled(base, human, 'human');
    }
    if (routed) {
      s.routedUnlabelled++;
      if (o.unlabelled === 'omit') {
        s.omitted.unlabelled++;
        return { ...base, outcome: 'unlabelled-omitted', label: null, source: null };
      }
      if (lm !== null) s.routedUnlabelledToLm++;
    }
    if (lm === null) {
      s.omitted.noLabel++;
      return { ...base, outcome: 'no-label', label: null, source: null };
    }
    return this.labelled(base, lm, 'lm');
  }

  private labelled(base: MergeProvenance, label: Preference, source: MergeSource): MergeDecision {
    const s = this.s;
    const winner = winnerOf(label);
    if (winner === 'tie') {
      if (this.options.ties === 'drop') {
        s.tiesDropped[source]++;
        return { ...base, outcome: 'tie-dropped', label, source };
      }
      s.tiesKept++;
    }
    s.output++;
    s.bySource[source]++;
    s.winners[winner]++;
    return { ...base, outcome: 'kept', label, source };
  }

  private compare(human: Preference, lm: Preference): void {
    const a = this.s.agreement;
    const h = winnerOf(human);
    const l = winnerOf(lm);
    a.compared++;
    if (h === l) a.agree++;
    a.table[h][l]++;
  }

  private tallyVerdicts(verdicts: Map<Annotation, AnnotationVerdict>): void {
    const t = this.s.annotations;
    for (const v of verdicts.values()) {
      if (v === 'counted') t.counted++;
      else if (v === 'incomplete') t.incomplete++;
      else if (v === 'other-plan') t.otherPlan++;
      else if (v === 'carried') t.carried++;
      else t.superseded++;
    }
  }
}

/** Merges a whole dataset at once (tests, small data); `Merger` is the streaming form. */
export function mergeRecords(
  records: Iterable<PairRecord>,
  input: MergeInput,
): { merged: MergedRecord[]; decisions: MergeDecision[]; summary: MergeSummary } {
  const merger = new Merger(input);
  const decisions = merger.decide([...records]);
  return { merged: decisions.filter((d): d is MergedRecord => d.outcome === 'kept'), decisions, summary: merger.finish() };
}
