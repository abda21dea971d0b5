// The project's own pairs schema (shared/data/pairs): id, source, prompt, response_a, response_b, model_a,
// model_b, pref_human, human_votes[], pref_lm, lm_judge, extra{}.
import { completeRecord, jsonList, RowFields, type LabelCell } from './record-builder';
import { countColumns, hasAll } from './layout-support';
import { parseMessageList } from './conversation';
import { renderMessages, type Message } from '../instance';
import type { MapOptions, MapResult, RawRow, Layout } from './types';

const SIGNATURE = ['pref_human', 'pref_lm', 'human_votes', 'lm_judge'];
const MINOR = ['id', 'source', 'extra'];

export const pairsLayout: Layout = {
  id: 'pairs',
  score(columns) {
    if (!hasAll(columns, 'prompt', 'response_a', 'response_b')) return 0;
    return 50 + 10 * countColumns(columns, SIGNATURE) + 3 * countColumns(columns, MINOR);
  },
  map(row: RawRow, options: MapOptions): MapResult {
    const f = new RowFields(row);
    const votes = voteCells(f.take('human_votes'), 'human_votes');
    // A prompt may be a conversation (a list of {role, content} messages, as `hyper judge` writes one back).
    const rawPrompt = f.take('prompt');
    let prompt: unknown = rawPrompt;
    let messages: Message[] | undefined;
    if (Array.isArray(rawPrompt)) {
      const parsed = parseMessageList(rawPrompt, 'prompt');
      if (!parsed.ok) return { ok: false, reason: parsed.reason };
      messages = parsed.messages;
      prompt = renderMessages(parsed.messages);
    }
    const nested = f.take('extra');
    // The nested extra object is spread into the record's extra; anything else under "extra" is kept as is.
    const extra =
      nested !== null && typeof nested === 'object' && !Array.isArray(nested)
        ? (nested as Record<string, unknown>)
        : nested === undefined || nested === null
          ? {}
          : { extra: nested };
    return completeRecord(
      f,
      {
        id: f.take('id'),
        prompt,
        ...(messages ? { messages } : {}),
        responseA: f.take('response_a'),
        responseB: f.take('response_b'),
        modelA: f.take('model_a'),
        modelB: f.take('model_b'),
        human: { column: 'pref_human', value: f.take('pref_human') },
        humanVotes: votes,
        lm: { column: 'pref_lm', value: f.take('pref_lm') },
        lmJudge: f.take('lm_judge'),
        extra,
      },
      options,
    );
  },
};

/** Label cells of a vote list: a list, a JSON-encoded list, or a single label. */
export function voteCells(value: unknown, column: string): LabelCell[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? (jsonList(value) ?? [value]) : [value];
  return list.map((v, i) => ({ column: `${column}[${i + 1}]`, value: v }));
}
