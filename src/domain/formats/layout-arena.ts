// Chatbot Arena battles, in two layouts: Kaggle's (prompt/response_a/response_b, often JSON-encoded lists of
// turns, with one-hot winner_model_a/winner_model_b/winner_tie) and lmsys' (conversation_a/_b message lists
// with a `winner` column). Arena votes come from people, so the label is a human label.
import type { Label, Preference } from '../labels';
import { renderMessages } from '../instance';
import { isMessageList, parseMessageList, responseFromMessages, splitConversations } from './conversation';
import { completeRecord, isMissing, jsonList, RowFields } from './record-builder';
import { countColumns, hasAll, sampleShare } from './layout-support';
import type { MapOptions, MapResult, RawRow, Layout } from './types';

const WINNER_COLUMNS: ReadonlyArray<readonly [string, Preference]> = [
  ['winner_model_a', 'A>B'],
  ['winner_model_b', 'B>A'],
  ['winner_tie', 'A=B'],
];

export const arenaLayout: Layout = {
  id: 'arena',
  score(columns, sample) {
    if (hasAll(columns, 'conversation_a', 'conversation_b')) {
      if (sampleShare(sample, 'conversation_a', isMessageList) < 0.8) return 0;
      return 70 + (columns.has('winner') ? 20 : 0) + (hasAll(columns, 'model_a', 'model_b') ? 5 : 0);
    }
    if (!hasAll(columns, 'prompt', 'response_a', 'response_b')) return 0;
    const winners = countColumns(
      columns,
      WINNER_COLUMNS.map(([c]) => c),
    );
    if (winners > 0) return 60 + 10 * winners + (hasAll(columns, 'model_a', 'model_b') ? 5 : 0);
    // Kaggle's unlabelled test split: recognisable only by its JSON-encoded turn lists.
    return sampleShare(sample, 'prompt', (v) => typeof v === 'string' && turnList(v) !== undefined) >= 0.8 ? 60 : 0;
  },
  map(row: RawRow, options: MapOptions): MapResult {
    const f = new RowFields(row);
    if (f.has('conversation_a') || f.has('conversation_b')) return mapConversations(f, options);
    const winner = oneHotWinner(f);
    if (winner && 'reason' in winner) return { ok: false, reason: winner.reason };
    return completeRecord(
      f,
      {
        id: f.take('id'),
        prompt: joinTurns(f.take('prompt')),
        responseA: joinTurns(f.take('response_a')),
        responseB: joinTurns(f.take('response_b')),
        modelA: f.take('model_a'),
        modelB: f.take('model_b'),
        human: winner ?? { column: 'winner', value: f.take('winner') },
      },
      options,
    );
  },
};

function mapConversations(f: RowFields, options: MapOptions): MapResult {
  const a = parseMessageList(f.take('conversation_a'), 'conversation_a');
  if (!a.ok) return a;
  const b = parseMessageList(f.take('conversation_b'), 'conversation_b');
  if (!b.ok) return b;
  const { prefix, restA, restB } = splitConversations(a.messages, b.messages);
  return completeRecord(
    f,
    {
      id: f.takeFirst(['question_id', 'id'])?.value,
      prompt: renderMessages(prefix),
      messages: prefix,
      responseA: responseFromMessages(restA),
      responseB: responseFromMessages(restB),
      modelA: f.take('model_a'),
      modelB: f.take('model_b'),
      human: { column: 'winner', value: f.take('winner') },
    },
    options,
  );
}

/** The label of one-hot winner columns; undefined when none is filled in. */
function oneHotWinner(f: RowFields): Label | { reason: string } | undefined {
  const set: Array<readonly [string, Preference]> = [];
  let present = false;
  for (const [column, value] of WINNER_COLUMNS) {
    const raw = f.take(column);
    if (isMissing(raw)) continue;
    present = true;
    const flag = flagOf(raw);
    if (flag === undefined) return { reason: `${column}: expected 0 or 1, found ${JSON.stringify(raw)}` };
    if (flag) set.push([column, value]);
  }
  if (!present) return undefined;
  const only = set[0];
  if (set.length !== 1 || !only) {
    return { reason: `winner_model_a/winner_model_b/winner_tie: expected exactly one of them to be 1, found ${set.length}` };
  }
  return { value: only[1], original: only[0] };
}

function flagOf(raw: unknown): boolean | undefined {
  if (raw === true || raw === 1) return true;
  if (raw === false || raw === 0) return false;
  if (typeof raw === 'string') {
    const t = raw.trim().toLowerCase();
    if (t === '1' || t === '1.0' || t === 'true') return true;
    if (t === '0' || t === '0.0' || t === 'false') return false;
  }
  return undefined;
}

/** Kaggle stores turns as a JSON-encoded list of strings ('["hi"]'); null turns are empty. */
function turnList(text: string): string[] | undefined {
  const list = jsonList(text);
  if (!list || !list.every((v) => v === null || typeof v === 'string')) return undefined;
  return list.map((v) => (v as string | null) ?? '');
}

/** Turns joined with a blank line; values that are not turn lists pass through for the usual checks. */
function joinTurns(value: unknown): unknown {
  if (Array.isArray(value) && value.every((v) => v === null || typeof v === 'string')) {
    return value.map((v: string | null) => v ?? '').join('\n\n');
  }
  if (typeof value !== 'string') return value;
  return turnList(value)?.join('\n\n') ?? value;
}
