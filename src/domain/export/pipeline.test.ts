import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Merger } from '../merge/merge';
import { ann, plan } from '../merge/test-fixtures';
import { buildManifest, renderDatasetCard, type ExportContext } from './manifest';
import { exportZip, runExport } from './pipeline';
import { trickyRecords } from './test-fixtures';
import { createFormatWriter } from './writers';
import { crc32, webDeflateRaw } from './zip';

const PLAN = {
  format: 'hyper-routing-plan' as const,
  version: 1 as const,
  producedBy: { app: 'hyper-workbench', version: '0.1.0' },
  createdAt: '2025-01-02T03:04:05.000Z',
  dataset: { name: 'tricky.jsonl', n: 6 },
  ppm: { name: 'paper-prior', sha256: 'ab'.repeat(32), kind: 'linear', output: 'relative gain', missingInData: [] },
  strategy: 'topk' as const,
  budget: { kind: 'fraction' as const, value: 0.5, count: 3 },
  seed: 7,
  candidates: null,
  predicted: 0.0123,
  predictedAllLm: 0,
  predictedAllHuman: 0.05,
  human: plan([0, 'q-0', 0.75], [2, 'q-2', 0.5], [3, 'q-3', -0.125]).human,
};
const ANNOTATIONS = [ann(0, 'q-0', 'ann', 'A>>B'), ann(0, 'q-0', 'bob', 'A>B'), ann(2, 'q-2', 'ann', 'A>B'), ann(2, 'q-2', 'bob', 'B>A')];

const context = (format: ExportContext['format'], dataFile: string): ExportContext => ({
  app: { name: 'hyper-workbench', version: '9.9.9' },
  dataset: { name: 'tricky.jsonl', sha256: 'cd'.repeat(32) },
  plan: PLAN,
  format,
  createdAt: '2025-06-07T08:09:10.000Z',
  dataFile,
});

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

describe('runExport', () => {
  it('streams chunks through merge and writer, reports progress, and returns the summary and counts', async () => {
    const parts: Uint8Array[] = [];
    const progress: number[] = [];
    const { summary, stats } = await runExport({
      chunks: chunks(trickyRecords(), 4),
      merger: new Merger({ plan: PLAN, annotations: ANNOTATIONS, options: { ties: 'keep' } }),
      writer: createFormatWriter('trl'),
      sink: (b) => void parts.push(b),
      onProgress: (n) => progress.push(n),
    });
    expect(progress).toEqual([4, 6]);
    // q-1 has an empty response: left out by default, and counted.
    expect(summary).toMatchObject({
      instances: 6,
      output: 4,
      tiesKept: 1,
      bySource: { human: 2, lm: 2 },
      omitted: { degenerate: { empty: 1, identical: 0 } },
    });
    expect(stats).toMatchObject({ rows: 3, skippedTies: 1 });
    const lines = new TextDecoder().decode(Buffer.concat(parts)).trim().split('\n');
    expect(lines).toHaveLength(3);
  });

  it('stops when aborted', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(
      runExport({
        chunks: [trickyRecords()],
        merger: new Merger({ plan: PLAN, annotations: [] }),
        writer: createFormatWriter('full'),
        sink: () => {},
        signal: ctrl.signal,
      }),
    ).rejects.toThrow();
  });

  it('fails on a plan made for another dataset', async () => {
    const other = { ...PLAN, dataset: { name: 'x', n: 7 } };
    await expect(
      runExport({
        chunks: [trickyRecords()],
        merger: new Merger({ plan: other, annotations: [] }),
        writer: createFormatWriter('full'),
        sink: () => {},
      }),
    ).rejects.toMatchObject({
      code: 'plan-mismatch',
    });
  });
});

describe('manifest and dataset card', () => {
  it('the manifest carries the provenance and the counts of the merge and the file', async () => {
    const merger = new Merger({ plan: PLAN, annotations: ANNOTATIONS });
    const { summary, stats } = await runExport({ chunks: [trickyRecords()], merger, writer: createFormatWriter('full'), sink: () => {} });
    const m = buildManifest({ ...context('full', 'hybrid.jsonl'), command: 'hyper merge …' }, summary, stats, 'ef'.repeat(32));
    expect(m).toMatchObject({
      format: 'hyper-export-manifest',
      version: 1,
      producedBy: { app: 'hyper-workbench', version: '9.9.9', command: 'hyper merge …' },
      createdAt: '2025-06-07T08:09:10.000Z',
      dataset: { name: 'tricky.jsonl', sha256: 'cd'.repeat(32), instances: 6 },
      routing: {
        strategy: 'topk',
        seed: 7,
        routed: 3,
        predicted: 0.0123,
        ppm: { name: 'paper-prior', sha256: 'ab'.repeat(32) },
        budget: { count: 3 },
      },
      merge: { options: { aggregate: 'majority', unlabelled: 'lm', ties: 'drop', fileHuman: 'ignore', planId: null } },
      export: {
        format: 'full',
        file: 'hybrid.jsonl',
        rows: stats.rows,
        bytes: stats.bytes,
        sha256: 'ef'.repeat(32),
        skippedTies: 0,
        loadWith: 'load_dataset("json", data_files="hybrid.jsonl", split="train")',
      },
    });
    const { options: _options, ...counts } = summary;
    expect(m.merge.counts).toEqual(counts);
    const card = renderDatasetCard(m);
    expect(card).toMatch(/^---\nconfigs:\n- config_name: default\n {2}data_files:\n {2}- split: train\n {4}path: "hybrid.jsonl"\n/);
    expect(card).toContain(`| in the merged dataset | ${summary.output} |`);
    expect(card).toContain(`| with a human label | ${summary.bySource.human} (`);
    expect(card).toContain(`| ties dropped (human / LM) | ${summary.tiesDropped.human} / ${summary.tiesDropped.lm} |`);
    expect(card).toContain('strategy `topk` with seed 7');
    expect(card).toContain('load_dataset("json", data_files="hybrid.jsonl", split="train")');
    expect(card).toContain(`Human–LM agreement on the ${summary.agreement.compared} routed pairs`);
  });

  it("without a plan, the card says every label is the LM's", async () => {
    const { summary, stats } = await runExport({
      chunks: [trickyRecords()],
      merger: new Merger({ plan: { human: [] }, annotations: [] }),
      writer: createFormatWriter('trl'),
      sink: () => {},
    });
    const m = buildManifest({ ...context('trl', 'x.jsonl'), plan: null }, summary, stats);
    expect(m.routing).toBeNull();
    expect(renderDatasetCard(m)).toContain('No routing plan was used');
  });
});

describe('exportZip', () => {
  /** Entries of a zip by name (central directory), inflated. */
  function entries(zip: Uint8Array): Map<string, Uint8Array> {
    const d = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const eocd = zip.length - 22;
    let p = d.getUint32(eocd + 16, true);
    const out = new Map<string, Uint8Array>();
    for (let i = 0; i < d.getUint16(eocd + 10, true); i++) {
      const nameLen = d.getUint16(p + 28, true);
      const local = d.getUint32(p + 42, true);
      const start = local + 30 + d.getUint16(local + 26, true) + d.getUint16(local + 28, true);
      const raw = zip.subarray(start, start + d.getUint32(p + 20, true));
      const data = d.getUint16(p + 10, true) === 8 ? new Uint8Array(inflateRawSync(raw)) : raw;
      expect(crc32(data)).toBe(d.getUint32(p + 16, true));
      out.set(new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen)), data);
      p += 46 + nameLen;
    }
    return out;
  }

  for (const format of ['full', 'parquet'] as const) {
    it(`${format}: data file, manifest.json and README.md in one zip; the manifest counts the file`, async () => {
      const parts: Uint8Array[] = [];
      const dataFile = format === 'full' ? 'hybrid.jsonl' : 'hybrid.parquet';
      const { summary, stats, manifest } = await exportZip({
        chunks: chunks(trickyRecords(), 2),
        merger: new Merger({ plan: PLAN, annotations: ANNOTATIONS }),
        writer: createFormatWriter(format),
        zipSink: (b) => void parts.push(b),
        deflate: webDeflateRaw,
        context: context(format, dataFile),
      });
      const files = entries(Buffer.concat(parts));
      expect([...files.keys()]).toEqual([dataFile, 'manifest.json', 'README.md']);
      expect(files.get(dataFile)!.length).toBe(stats.bytes);
      const written = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as typeof manifest;
      expect(written).toEqual(manifest);
      expect(written.export.rows).toBe(summary.output);
      expect(new TextDecoder().decode(files.get('README.md'))).toContain(`| rows in \`${dataFile}\` | ${stats.rows} |`);
      if (format === 'full') expect(new TextDecoder().decode(files.get(dataFile)).trim().split('\n')).toHaveLength(stats.rows);
    });
  }
});
