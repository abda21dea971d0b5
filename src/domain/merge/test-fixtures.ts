// Literal records, plans and annotations for the merge and export tests.
import type { Annotation } from '../annotation';
import type { PairRecord } from '../instance';
import type { Preference } from '../labels';

/** A record with the given id and LM label (and optionally a human label from the file). */
export function rec(id: string, lm: Preference | null, human?: Preference): PairRecord {
  const r: PairRecord = { id, sourceRow: 0, prompt: `prompt of ${id}`, responseA: `A of ${id}`, responseB: `B of ${id}`, extra: {} };
  if (lm) r.lm = { value: lm, original: lm };
  if (human) r.human = { value: human, original: human };
  return r;
}

/** A submitted annotation (override any field). */
export function ann(
  idx: number,
  instanceId: string,
  annotator: string,
  overall: Preference | undefined,
  more: Partial<Annotation> = {},
): Annotation {
  const a: Annotation = {
    id: `plan-1|${idx}|${annotator}`,
    projectId: 'p',
    datasetId: 'd',
    planId: 'plan-1',
    idx,
    instanceId,
    annotator,
    status: 'submitted',
    aspects: {},
    rationale: '',
    swapped: false,
    activeMs: 1000,
    createdAt: 100,
    updatedAt: 200,
    submittedAt: 200,
    rev: 1,
    origin: 'local',
    ...more,
  };
  if (overall !== undefined) a.overall = overall;
  return a;
}

export function plan(...routed: [idx: number, id: string, gain: number][]): { human: { idx: number; id: string; gain: number }[] } {
  return { human: routed.map(([idx, id, gain]) => ({ idx, id, gain })) };
}
