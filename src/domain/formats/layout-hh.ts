// Anthropic HH-RLHF: chosen and rejected are whole transcripts ("\n\nHuman: ...\n\nAssistant: ..."). The prompt
// is the dialogue both share up to the last "Assistant:" before they diverge; the responses are what follows.
import { renderMessages } from '../instance';
import { isHhTranscript, splitHhPair } from './conversation';
import { checkText, completeRecord, recordId, RowFields } from './record-builder';
import { hasAll, placeChosen, sampleShare } from './layout-support';
import type { MapOptions, MapResult, RawRow, Layout } from './types';

export const hhLayout: Layout = {
  id: 'anthropic-hh',
  score(columns, sample) {
    if (!hasAll(columns, 'chosen', 'rejected')) return 0;
    if (sampleShare(sample, 'chosen', isHhTranscript) < 0.8) return 0;
    // With a prompt column the file is TRL text that happens to hold transcripts; TRL should win then.
    return columns.has('prompt') ? 40 : 88;
  },
  map(row: RawRow, options: MapOptions): MapResult {
    const f = new RowFields(row);
    const id = f.take('id');
    const warnings: string[] = [];
    const chosen = checkText(f.take('chosen'), 'chosen', warnings);
    if (!chosen.ok) return chosen;
    const rejected = checkText(f.take('rejected'), 'rejected', warnings);
    if (!rejected.ok) return rejected;
    const split = splitHhPair(chosen.text, rejected.text);
    if (!split.ok) return split;
    const placed = placeChosen(split.chosen, split.rejected, recordId(id, row.row), options);
    return completeRecord(f, { id, prompt: renderMessages(split.messages), messages: split.messages, ...placed, warnings }, options);
  },
};
