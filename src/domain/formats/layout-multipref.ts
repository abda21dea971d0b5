// HyPER / MultiPref files: text (or prompt), completion_a/_b (or response_a/_b), pref_human and pref_gpt4 on the
// 5-point MultiPref scale, analyzer tag columns, raw score columns, and MultiPref's per-annotator lists.
import { DESCRIPTIVE_DIMENSIONS, SCORE_NAMES } from '../instance';
import { completeRecord, jsonList, RowFields, type LabelCell, type LabelInput } from './record-builder';
import { countColumns } from './layout-support';
import type { MapOptions, MapResult, RawRow, Layout } from './types';

const ANNOTATION_COLUMNS = ['normal_worker_annotations', 'expert_worker_annotations'];
// comparison_id is unique per pair; prompt_hash repeats when a prompt has several pairs, so it comes last.
const ID_COLUMNS = ['comparison_id', 'prompt_hash', 'id'];

export const multiprefLayout: Layout = {
  id: 'hyper-multipref',
  score(columns) {
    const hasPrompt = columns.has('text') || columns.has('prompt');
    const hasA = columns.has('completion_a') || columns.has('response_a');
    const hasB = columns.has('completion_b') || columns.has('response_b');
    if (!hasPrompt || !hasA || !hasB) return 0;
    let s = 40;
    if (columns.has('text')) s += 10;
    if (columns.has('completion_a') && columns.has('completion_b')) s += 10;
    if (columns.has('pref_gpt4')) s += 15;
    if (countColumns(columns, ANNOTATION_COLUMNS) > 0) s += 10;
    if (columns.has('pref_human')) s += 5;
    if (countColumns(columns, DESCRIPTIVE_DIMENSIONS) > 0) s += 5;
    if (countColumns(columns, SCORE_NAMES) > 0) s += 5;
    if (columns.has('comparison_id') || columns.has('prompt_hash')) s += 5;
    return s;
  },
  map(row: RawRow, options: MapOptions): MapResult {
    const f = new RowFields(row);
    const lmColumn = f.has('pref_gpt4') ? 'pref_gpt4' : 'pref_lm';
    const lmJudge = lmColumn === 'pref_gpt4' ? 'gpt-4' : f.take('lm_judge');
    // The annotation lists stay in extra verbatim (peek, not take); their overall_pref values become votes.
    const votes: LabelInput[] = [];
    for (const column of ANNOTATION_COLUMNS) {
      const cells = annotationVotes(f.peek(column), column);
      if (typeof cells === 'string') return { ok: false, reason: cells };
      votes.push(...cells);
    }
    return completeRecord(
      f,
      {
        id: f.takeFirst(ID_COLUMNS)?.value,
        prompt: f.takeFirst(['text', 'prompt'])?.value,
        responseA: f.takeFirst(['completion_a', 'response_a'])?.value,
        responseB: f.takeFirst(['completion_b', 'response_b'])?.value,
        modelA: f.take('model_a'),
        modelB: f.take('model_b'),
        human: { column: 'pref_human', value: f.take('pref_human') },
        humanVotes: votes,
        lm: { column: lmColumn, value: f.take(lmColumn) },
        lmJudge,
      },
      options,
    );
  },
};

/** The overall_pref of each annotation object as a vote cell; a reason string when the list is unreadable. */
function annotationVotes(value: unknown, column: string): LabelCell[] | string {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? jsonList(value) : undefined;
  if (!list) return `${column}: expected a list of annotation objects`;
  const cells: LabelCell[] = [];
  list.forEach((a: unknown, i) => {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return;
    cells.push({ column: `${column}[${i + 1}].overall_pref`, value: (a as Record<string, unknown>).overall_pref });
  });
  return cells;
}
