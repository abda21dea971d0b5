// Merge and export on real data: PandaLM's 999 pairs (three human votes each, a GPT-3.5 judge label, 25 without
// one), routed by a seeded plan, with annotations made here from the file's own votes. Expectations come from
// the raw JSON lines, not from the importer. Skipped where ../shared is absent.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImportSession } from '../formats/import-session';
import { defaultMapOptions } from '../formats/layouts';
import { mulberry32 } from '../random';
import { createFormatWriter } from '../export/writers';
import { writeAll } from '../export/test-fixtures';
import { FORMAT_INFO, type ExportFormat } from '../export/formats';
import type { Annotation } from '../annotation';
import type { Preference } from '../labels';
import { mergeRecords } from './merge';
import { ann } from './test-fixtures';

const PANDALM = fileURLToPath(new URL('../../../../shared/data/pairs/pandalm.jsonl', import.meta.url));

interface RawPair {
  id: string;
  response_a: unknown;
  response_b: unknown;
  pref_human: string;
  human_votes: string[];
  pref_lm: string | null;
}
const WORD: Record<string, 'A' | 'B' | 'tie'> = { 'A-is-better': 'A', 'B-is-better': 'B', Tie: 'tie' };
const TO_PREF: Record<string, Preference> = { 'A-is-better': 'A>B', 'B-is-better': 'B>A', Tie: 'A=B' };

describe.skipIf(!existsSync(PANDALM))('real data: merge and export of pairs/pandalm.jsonl', async () => {
  const bytes = new Uint8Array(existsSync(PANDALM) ? readFileSync(PANDALM) : []);
  const raw = bytes.length
    ? new TextDecoder()
        .decode(bytes)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as RawPair)
    : [];
  const session = bytes.length ? await ImportSession.read(bytes, 'pandalm.jsonl') : null;
  const records = session ? [...session.records('pairs', defaultMapOptions('pairs'))] : [];

  // A seeded plan: 300 routed instances; 250 of them annotated by three "crowd" annotators casting the file's votes.
  const random = mulberry32(2024);
  const order = raw
    .map((_, i) => i)
    .map((i) => ({ i, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.i);
  const routed = order.slice(0, 300);
  const annotated = new Set(routed.slice(0, 250));
  const annotations: Annotation[] = [];
  for (const i of annotated) {
    raw[i]!.human_votes.forEach((v, k) => annotations.push(ann(i, raw[i]!.id, `crowd-${k}`, TO_PREF[v]!, { planId: 'p' })));
    // An earlier, different answer of the same annotator that a later one replaced, and a draft.
    if (i % 7 === 0) annotations.push(ann(i, raw[i]!.id, 'crowd-0', 'B>>A', { id: `old-${i}`, planId: 'p', submittedAt: 1 }));
    if (i % 11 === 0) annotations.push(ann(i, raw[i]!.id, 'drafty', 'A>>B', { id: `draft-${i}`, status: 'draft' }));
  }
  const plan = { human: routed.map((i, r) => ({ idx: i, id: raw[i]!.id, gain: 1 - r / 1000 })), dataset: { n: raw.length } };
  const isRouted = new Set(routed);
  // Pairs with an empty response or the same text twice (whitespace aside) are left out of the export by default.
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)).replace(/\s+/g, ' ').trim();
  const degenerate = new Set(
    raw.flatMap((r, i) => (text(r.response_a) === '' || text(r.response_b) === '' || text(r.response_a) === text(r.response_b) ? [i] : [])),
  );

  it('routed and annotated pairs carry the human majority, the rest the LM label; counts add up', () => {
    expect(records).toHaveLength(999);
    const { decisions, merged, summary } = mergeRecords(records, { plan, annotations });
    expect(degenerate.size).toBeGreaterThan(50);
    decisions.forEach((d, i) => {
      const r = raw[i]!;
      const expected = degenerate.has(i) ? null : annotated.has(i) ? WORD[r.pref_human]! : r.pref_lm === null ? null : WORD[r.pref_lm]!;
      const got = d.label === null ? null : d.label.startsWith('A>') ? 'A' : d.label.startsWith('B>') ? 'B' : 'tie';
      expect([r.id, got]).toEqual([r.id, expected]);
      expect(d.source).toBe(expected === null ? null : annotated.has(i) ? 'human' : 'lm');
      expect(d.outcome === 'degenerate-omitted').toBe(degenerate.has(i));
      expect(d.routed).toBe(isRouted.has(i));
    });
    const usable = (i: number) => !degenerate.has(i);
    const finals = raw.map((r, i) => (!usable(i) ? 'degenerate' : annotated.has(i) ? r.pref_human : r.pref_lm));
    expect(summary.output).toBe(finals.filter((f) => f !== null && f !== 'Tie' && f !== 'degenerate').length);
    expect(merged).toHaveLength(summary.output);
    expect(summary.omitted.noLabel).toBe(finals.filter((f) => f === null).length);
    expect(summary.omitted.degenerate.empty + summary.omitted.degenerate.identical).toBe(degenerate.size);
    expect(summary.tiesDropped.human + summary.tiesDropped.lm).toBe(finals.filter((f) => f === 'Tie').length);
    expect(summary.bySource.human + summary.bySource.lm).toBe(summary.output);
    const routedUsable = routed.filter(usable);
    const annotatedUsable = [...annotated].filter(usable);
    expect(summary).toMatchObject({
      instances: 999,
      routed: routedUsable.length,
      routedLabelled: annotatedUsable.length,
      routedUnlabelled: routedUsable.length - annotatedUsable.length,
    });
    expect(summary.annotations.superseded).toBe([...annotated].filter((i) => i % 7 === 0).length);
    expect(summary.annotations.incomplete).toBe([...annotated].filter((i) => i % 11 === 0).length);
    expect(summary.annotations.used).toBe(3 * annotatedUsable.length);
    const both = annotatedUsable.filter((i) => raw[i]!.pref_lm !== null);
    expect(summary.agreement.compared).toBe(both.length);
    expect(summary.agreement.agree).toBe(both.filter((i) => raw[i]!.pref_human === raw[i]!.pref_lm).length);
    // The file's documented LM-human agreement is 0.70; a random 250 lands near it.
    expect(summary.agreement.rate).toBeGreaterThan(0.6);
    expect(summary.agreement.rate).toBeLessThan(0.8);
  });

  it('the TRL file follows the merged labels: human-preferred responses are chosen on routed, annotated pairs', () => {
    const { merged } = mergeRecords(records, { plan, annotations });
    const lines = new TextDecoder()
      .decode(writeAll(createFormatWriter('trl'), merged, 100))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; chosen: string; rejected: string });
    expect(lines).toHaveLength(merged.length);
    const byId = new Map(raw.map((r, i) => [r.id, { r, i }]));
    let humanOverLm = 0;
    for (const line of lines) {
      const { r, i } = byId.get(line.id)!;
      expect(degenerate.has(i)).toBe(false);
      const winner = annotated.has(i) ? WORD[r.pref_human] : WORD[r.pref_lm!];
      const [a, b] = [String(r.response_a), String(r.response_b)];
      expect([line.chosen, line.rejected]).toEqual(winner === 'A' ? [a, b] : [b, a]);
      if (annotated.has(i) && r.pref_lm !== null && r.pref_lm !== r.pref_human) humanOverLm++;
    }
    expect(humanOverLm).toBeGreaterThan(20);
  });

  for (const format of ['full', 'csv', 'parquet', 'trl-conversational'] as const satisfies readonly ExportFormat[]) {
    it(`${format}: imports back with the same labels`, async () => {
      const { merged } = mergeRecords(records, { plan, annotations, options: { ties: 'keep' } });
      const file = writeAll(createFormatWriter(format), merged, 250);
      const back = await ImportSession.read(file, `pandalm-hybrid.${FORMAT_INFO[format].extension}`);
      const shape = back.recognise()[0]!.shape;
      expect(shape).toBe(format === 'trl-conversational' ? 'trl-conversational' : 'pairs');
      const imported = [...back.records(shape, defaultMapOptions(shape))];
      if (format === 'trl-conversational') {
        const nonTies = merged.filter((m) => m.label !== 'A=B');
        expect(imported.map((r) => r.id)).toEqual(nonTies.map((m) => m.record.id));
        const chosen = (label: Preference, a: string, b: string) => (label.startsWith('A>') ? a : b);
        expect(imported.map((r) => chosen(r.lm!.value, r.responseA, r.responseB))).toEqual(
          nonTies.map((m) => chosen(m.label, m.record.responseA, m.record.responseB)),
        );
        return;
      }
      expect(imported.map((r) => [r.id, r.extra.label, r.lm?.value ?? null, r.human?.value ?? null])).toEqual(
        merged.map((m) => [m.record.id, m.label, m.lm, m.human]),
      );
    });
  }
});
