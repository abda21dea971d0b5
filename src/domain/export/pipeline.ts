// Merge and write in one pass over the records, chunk by chunk: what the CLI runs and what an export worker runs.
import type { PairRecord } from '../instance';
import type { MergeSummary, Merger } from '../merge/merge';
import { FORMAT_INFO } from './formats';
import { buildManifest, renderDatasetCard, type ExportContext, type ExportManifest } from './manifest';
import type { FormatWriter, WriterStats } from './writers';
import { ZipWriter, type CompressorFactory, type ZipSink } from './zip';

export interface ExportRun {
  /** The dataset's records in order, in chunks (e.g. 1,000 read from IndexedDB at a time). */
  chunks: Iterable<readonly PairRecord[]> | AsyncIterable<readonly PairRecord[]>;
  merger: Merger;
  writer: FormatWriter;
  /** Receives the data file's bytes in order. */
  sink: (bytes: Uint8Array) => void | Promise<void>;
  /** Called after each chunk with the number of records merged so far. */
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
}

/** Streams records through the merge into the writer and the sink; returns the summary and the writer's counts. */
export async function runExport(run: ExportRun): Promise<{ summary: MergeSummary; stats: WriterStats }> {
  for await (const chunk of run.chunks) {
    run.signal?.throwIfAborted();
    for (const bytes of run.writer.push(run.merger.push(chunk))) await run.sink(bytes);
    run.onProgress?.(run.merger.position);
  }
  run.signal?.throwIfAborted();
  const summary = run.merger.finish();
  for (const bytes of run.writer.finish()) await run.sink(bytes);
  return { summary, stats: { ...run.writer.stats } };
}

export interface ZipExport extends Omit<ExportRun, 'sink'> {
  context: ExportContext;
  /** Receives the zip's bytes in order. */
  zipSink: ZipSink;
  /** Raw deflate for the text entries (e.g. webDeflateRaw); Parquet is stored, it is compressed already. */
  deflate?: CompressorFactory;
}

export const MANIFEST_FILE = 'manifest.json';
export const CARD_FILE = 'README.md';

/** One zip holding the data file (context.dataFile), manifest.json and README.md (the dataset card). */
export async function exportZip(run: ZipExport): Promise<{ summary: MergeSummary; stats: WriterStats; manifest: ExportManifest }> {
  const modified = new Date(run.context.createdAt);
  const zip = new ZipWriter(run.zipSink, { ...(run.deflate ? { deflate: run.deflate } : {}), modified });
  const entry = zip.beginFile(run.context.dataFile, {
    compress: run.deflate !== undefined && FORMAT_INFO[run.context.format].extension !== 'parquet',
  });
  const { summary, stats } = await runExport({ ...run, sink: (b) => entry.write(b) });
  await entry.end();
  const manifest = buildManifest(run.context, summary, stats);
  const encoder = new TextEncoder();
  await zip.addFile(MANIFEST_FILE, encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`));
  await zip.addFile(CARD_FILE, encoder.encode(renderDatasetCard(manifest)));
  await zip.finish();
  return { summary, stats, manifest };
}
