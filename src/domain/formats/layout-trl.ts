// TRL preference datasets: prompt/chosen/rejected as text, or chosen/rejected as message lists (with an
// optional prompt list, or an implicit prompt shared by both). The chosen side is placed by the seeded coin.
import type { Message } from '../instance';
import { renderMessages } from '../instance';
import { isMessageList, joinPromptMessages, parseMessageList, responseFromMessages, splitConversations } from './conversation';
import { completeRecord, isMissing, recordId, RowFields } from './record-builder';
import { hasAll, placeChosen, sampleShare } from './layout-support';
import type { MapOptions, MapResult, RawRow, Layout } from './types';

export const trlStringLayout: Layout = {
  id: 'trl-string',
  score(columns, sample) {
    if (!hasAll(columns, 'prompt', 'chosen', 'rejected')) return 0;
    if (sampleShare(sample, 'chosen', isMessageList) > 0) return 0;
    return sampleShare(sample, 'chosen', (v) => typeof v === 'string') >= 0.8 ? 80 : 0;
  },
  map(row: RawRow, options: MapOptions): MapResult {
    const f = new RowFields(row);
    const id = f.take('id');
    const placed = placeChosen(f.take('chosen'), f.take('rejected'), recordId(id, row.row), options);
    return completeRecord(f, { id, prompt: f.take('prompt'), ...placed }, options);
  },
};

export const trlConversationalLayout: Layout = {
  id: 'trl-conversational',
  score(columns, sample) {
    if (!hasAll(columns, 'chosen', 'rejected')) return 0;
    if (sampleShare(sample, 'chosen', isMessageList) < 0.8) return 0;
    return columns.has('prompt') ? 90 : 85;
  },
  map(row: RawRow, options: MapOptions): MapResult {
    const f = new RowFields(row);
    const id = f.take('id');
    const chosen = parseMessageList(f.take('chosen'), 'chosen');
    if (!chosen.ok) return chosen;
    const rejected = parseMessageList(f.take('rejected'), 'rejected');
    if (!rejected.ok) return rejected;
    let explicit: Message[] = [];
    const promptValue = f.take('prompt');
    if (typeof promptValue === 'string') {
      if (promptValue.trim() !== '') explicit = [{ role: 'user', content: promptValue }];
    } else if (!isMissing(promptValue)) {
      const parsed = parseMessageList(promptValue, 'prompt');
      if (!parsed.ok) return parsed;
      explicit = parsed.messages;
    }
    const { prefix, restA, restB } = splitConversations(chosen.messages, rejected.messages);
    const messages = joinPromptMessages(explicit, prefix);
    const placed = placeChosen(responseFromMessages(restA), responseFromMessages(restB), recordId(id, row.row), options);
    return completeRecord(f, { id, prompt: renderMessages(messages), messages, ...placed }, options);
  },
};
