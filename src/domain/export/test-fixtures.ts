// A small merged dataset whose texts exercise quoting and encodings, for the export tests.
import type { PairRecord } from '../instance';
import type { MergedRecord } from '../merge/merge';
import type { FormatWriter } from './writers';
import { mergeRecords } from '../merge/merge';
import type { MergeOptions } from '../merge/options';
import { ann, plan, rec } from '../merge/test-fixtures';
import { concatBytes } from '../bytes';

export function trickyRecords(): PairRecord[] {
  const r0 = rec('q-0', 'B>A');
  r0.prompt = 'Say "hi", then a comma, then\na newline';
  r0.responseA = 'hi, "you"\r\nsecond line';
  r0.responseB = '  leading and trailing spaces  ';
  r0.modelA = 'model-a';
  r0.lmJudge = 'judge-x';
  r0.extra = { source: 'demo', nested: { k: [1, 2] } };
  r0.tags = { expertise_level: 'general public', subject_of_expertise: ['Mathematics'] };
  r0.scores = { rouge: 0.25 };
  const r1 = rec('q-1', 'A>>B', 'B>A');
  r1.humanVotes = [
    { value: 'B>A', original: 'B' },
    { value: 'A=B', original: 'tie' },
  ];
  r1.responseA = 'Ünïcödé ✓ and emoji 🎉';
  r1.responseB = '';
  const r2 = rec('q-2', 'A=B');
  r2.messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Two plus two?' },
  ];
  r2.prompt = 'System: Be brief.\n\nUser: Two plus two?';
  const r3 = rec('q-3', 'B>>A');
  const r4 = rec('q-4', 'A>B');
  const r5 = rec('q-5', null);
  return [r0, r1, r2, r3, r4, r5];
}

/**
 * q-0 and q-2 routed and annotated (q-2 a human tie), q-3 routed and unlabelled, q-4 annotated but not routed.
 * q-1 has an empty response B: kept here (degenerate: 'keep') so the writers see an empty string.
 */
export function trickyMerge(options: Partial<MergeOptions> = {}) {
  const records = trickyRecords();
  return mergeRecords(records, {
    plan: plan([0, 'q-0', 0.75], [2, 'q-2', 0.5], [3, 'q-3', -0.125]),
    annotations: [
      ann(0, 'q-0', 'ann', 'A>>B', { rationale: 'clearer, "shorter"' }),
      ann(0, 'q-0', 'bob', 'A>B'),
      ann(2, 'q-2', 'ann', 'A>B'),
      ann(2, 'q-2', 'bob', 'B>A'),
      ann(4, 'q-4', 'cyd', 'B>A'),
    ],
    options: { degenerate: 'keep', ...options },
  });
}

/** Pushes records `chunk` at a time and returns the whole file. */
export function writeAll(writer: FormatWriter, records: readonly MergedRecord[], chunk = 2): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < records.length; i += chunk) parts.push(...writer.push(records.slice(i, i + chunk)));
  parts.push(...writer.finish());
  return concatBytes(parts);
}
