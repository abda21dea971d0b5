// Every exported file imports back through the app's importer with the same labels.
import { describe, expect, it } from 'vitest';
import { ImportSession } from '../formats/import-session';
import { defaultMapOptions } from '../formats/layouts';
import type { PairRecord } from '../instance';
import { winnerOf } from '../labels';
import type { MergedRecord } from '../merge/merge';
import { EXPORT_FORMATS, FORMAT_INFO, type ExportFormat } from './formats';
import { trickyMerge, writeAll } from './test-fixtures';
import { createFormatWriter } from './writers';

/** Exports, imports back, and returns the recognised layout and the imported records. */
async function reimport(
  format: ExportFormat,
  merged: readonly MergedRecord[],
): Promise<{ shape: string; records: PairRecord[]; rejected: number }> {
  const bytes = writeAll(createFormatWriter(format), merged, 3);
  const session = await ImportSession.read(bytes, `export.${FORMAT_INFO[format].extension}`);
  const shape = session.recognise()[0]?.shape;
  if (!shape) throw new Error(`${format}: no layout recognised`);
  const options = defaultMapOptions(shape);
  const report = session.evaluate(shape, options);
  return { shape, records: [...session.records(shape, options)], rejected: report.rejected.length };
}

/** What a TRL file says: the chosen (preferred) and rejected texts per id. */
function trlReading(r: PairRecord): { chosen: string; rejected: string } {
  const w = winnerOf(r.lm!.value);
  return w === 'A' ? { chosen: r.responseA, rejected: r.responseB } : { chosen: r.responseB, rejected: r.responseA };
}

/** Checks an imported file against the merged records it was written from. */
function expectSameLabels(format: ExportFormat, merged: readonly MergedRecord[], imported: readonly PairRecord[]): void {
  if (format === 'trl' || format === 'trl-conversational') {
    const expected = merged.filter((m) => winnerOf(m.label) !== 'tie');
    expect(imported.map((r) => r.id)).toEqual(expected.map((m) => m.record.id));
    imported.forEach((r, i) => {
      const m = expected[i]!;
      const a = m.record.responseA;
      const b = m.record.responseB;
      expect(trlReading(r)).toEqual(winnerOf(m.label) === 'A' ? { chosen: a, rejected: b } : { chosen: b, rejected: a });
      expect(r.prompt).toBe(m.record.prompt);
    });
    return;
  }
  expect(imported.map((r) => r.id)).toEqual(merged.map((m) => m.record.id));
  imported.forEach((r, i) => {
    const m = merged[i]!;
    expect(r.extra.label).toBe(m.label);
    expect(r.extra.label_source).toBe(m.source);
    expect(r.lm?.value ?? null).toBe(m.lm);
    expect(r.human?.value ?? null).toBe(m.human);
    expect((r.humanVotes ?? []).map((v) => v.value)).toEqual(m.used.map((a) => a.overall));
    expect([r.prompt, r.responseA, r.responseB]).toEqual([m.record.prompt, m.record.responseA, m.record.responseB]);
    expect(r.modelA).toBe(m.record.modelA);
    expect(r.lmJudge).toBe(m.record.lmJudge);
  });
}

describe('round trip: export, then import with the app', () => {
  const expectedLayout: Record<ExportFormat, string> = {
    trl: 'trl-string',
    'trl-conversational': 'trl-conversational',
    full: 'pairs',
    csv: 'pairs',
    parquet: 'pairs',
  };
  for (const format of EXPORT_FORMATS) {
    for (const ties of ['drop', 'keep'] as const) {
      it(`${format}, ties ${ties}: recognised as ${expectedLayout[format]}, same labels, nothing rejected`, async () => {
        const { merged } = trickyMerge({ ties });
        const back = await reimport(format, merged);
        expect(back.shape).toBe(expectedLayout[format]);
        expect(back.rejected).toBe(0);
        expectSameLabels(format, merged, back.records);
      });
    }
  }

  it('the full JSONL keeps the nested extra object and conversational turns', async () => {
    const { merged } = trickyMerge();
    const back = await reimport('full', merged);
    expect(back.records[0]!.extra).toMatchObject({ source: 'demo', nested: { k: [1, 2] }, routed: true, gain: 0.75 });
    const conv = await reimport(
      'trl-conversational',
      trickyMerge({ ties: 'keep' }).merged.filter((m) => m.record.id !== 'q-2'),
    );
    expect(conv.records.map((r) => r.id)).toContain('q-0');
  });

  it('a conversational prompt comes back as the same turns', async () => {
    const { merged } = trickyMerge({ ties: 'keep' });
    const q2 = merged.find((m) => m.record.id === 'q-2')!;
    // Give the tie a winner so the TRL formats carry it.
    const won = { ...q2, label: 'B>A' as const };
    const back = await reimport('trl-conversational', [won]);
    expect(back.records[0]!.messages).toEqual(q2.record.messages);
    expect(back.records[0]!.prompt).toBe(q2.record.prompt);
  });
});
