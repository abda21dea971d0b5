// From a file to the 90 HyPER tags of its pairs, shared by `hyper tags` and `hyper route` so that both
// commands tag a file identically: either computed from the dataset file (the app's import and feature
// code), or read back from the JSONL that `hyper tags` writes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ImportSession } from '../domain/formats/import-session';
import { DEFAULT_MAP_OPTIONS, LAYOUT_TEXT, type ColumnMapping, type MapOptions, type LayoutId } from '../domain/formats/types';
import { defaultChosenLabelSource } from '../domain/formats/layouts';
import { orientationOf, type DatasetOrientation } from '../domain/formats/orientation';
import { assembleTagSet, scoreChunk, TAG_WORDS, type TagSet, type TagCoverage } from '../domain/tags/tag-set';
import { TAG_COUNT, TAG_DEFS, TAG_IDS, TAG_INDEX } from '../domain/tags/tags';
import type { PairRecord } from '../domain/instance';
import { UsageError } from './args';
import { HyperError } from '../domain/errors';

/** A file the command could not read; `code` says why (not-found, is-directory, unreadable). */
export class InputFileError extends HyperError<'not-found' | 'is-directory' | 'unreadable'> {}

/** Reads a whole file; a missing or unreadable file gets a message naming the option it came from. */
export async function readInputFile(path: string, option: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT') throw new InputFileError('not-found', `${option} ${path}: no such file`);
    if (code === 'EISDIR') throw new InputFileError('is-directory', `${option} ${path}: is a directory, expected a file`);
    throw new InputFileError('unreadable', `${option} ${path}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** How to read a dataset file: the `--layout`, `--mapping` and side-coin seed options of the commands. */
export interface DatasetReadOptions {
  layout?: string;
  /** Path of a JSON column mapping. */
  mapping?: string;
  /** Seed of the coin that places TRL/HH chosen responses on A or B (the text of the option). */
  sideSeed?: string;
  /** Name of the seed option in messages (--side-seed). */
  sideSeedOption?: string;
}

export interface LoadedDataset {
  path: string;
  /** The file's bytes (for its hash). */
  bytes: Uint8Array;
  layout: LayoutId;
  /** How the file's A/B sides were fixed (the layout and, for TRL/HH, the side seed). */
  orientation: DatasetOrientation;
  records: PairRecord[];
}

/** Reads a dataset file the way the app imports it, and logs rows read and rejected. */
export async function readDataset(path: string, opts: DatasetReadOptions, log: (s: string) => void): Promise<LoadedDataset> {
  const bytes = await readInputFile(path, '--input');
  const session = await ImportSession.read(bytes, basename(path));
  const layout = (opts.layout ?? session.recognise()[0]?.shape) as LayoutId | undefined;
  if (!layout) throw new UsageError(`${path}: the columns match no known layout; pass --layout custom --mapping FILE`);
  if (!(layout in LAYOUT_TEXT)) throw new UsageError(`unknown layout "${layout}"`);
  const options: MapOptions = { ...DEFAULT_MAP_OPTIONS, chosenLabelSource: defaultChosenLabelSource(layout) };
  if (opts.sideSeed !== undefined) {
    if (!/^-?\d+$/.test(opts.sideSeed)) throw new UsageError(`${opts.sideSeedOption ?? '--side-seed'} needs an integer`);
    options.seed = Number(opts.sideSeed);
  }
  if (opts.mapping !== undefined) {
    const text = new TextDecoder().decode(await readInputFile(opts.mapping, '--mapping'));
    try {
      options.mapping = JSON.parse(text) as ColumnMapping;
    } catch (e) {
      throw new UsageError(`--mapping ${opts.mapping}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const report = session.evaluate(layout, options);
  const records = [...session.records(layout, options)];
  log(`${path}: ${report.rowsRead} rows read, ${records.length} pairs (${LAYOUT_TEXT[layout]}), ${report.rejected.length} rejected`);
  for (const r of report.rejected.slice(0, 10)) log(`  rejected line/row ${r.row}: ${r.reason}`);
  return { path, bytes, layout, orientation: orientationOf(layout, options.seed), records };
}

/**
 * The feature set of a dataset's records, as the app computes it (lexical scores, file semantic scores). The
 * scorers (tokenizer, entity model) are loaded on the first call, so commands that only read tags never load them.
 */
export async function computeTagSet(records: readonly PairRecord[], datasetId: string, started = performance.now()): Promise<TagSet> {
  const { lexicalScorers } = await import('../domain/tags/lexical-scorers');
  const chunk = scoreChunk(records, 0, lexicalScorers);
  return assembleTagSet({
    datasetId,
    n: records.length,
    columns: chunk.columns,
    descriptiveBits: chunk.descriptiveBits,
    withDescriptive: chunk.withTags,
    defects: chunk.defects,
    judgeRisk: chunk.judgeRisk,
    semanticSource: 'file',
    computeMs: performance.now() - started,
    now: Date.now(),
  });
}

/** Tags of a dataset in routing's form, wherever they came from. */
export interface DatasetTags {
  /** Instance ids by position. */
  ids: string[];
  n: number;
  /** n x TAG_WORDS words; bit t of instance i = tag TAG_IDS[t]. */
  tagBits: Uint32Array;
  /** One entry per tag, in TAG_IDS order. */
  coverage: TagCoverage[];
  /** Per pair: 0, or its defect code (pair-defects.ts); absent when only a tags file was read (no texts). */
  defects?: Uint8Array;
}

/** The tags `hyper tags` would write for a dataset file. */
export async function tagsFromDataset(
  path: string,
  opts: DatasetReadOptions,
  log: (s: string) => void,
): Promise<{ dataset: LoadedDataset; tags: DatasetTags }> {
  const started = performance.now();
  const dataset = await readDataset(path, opts, log);
  const fs = await computeTagSet(dataset.records, path, started);
  return {
    dataset,
    tags: { ids: dataset.records.map((r) => r.id), n: fs.n, tagBits: fs.tagBits, coverage: fs.coverage, defects: fs.defects },
  };
}

/** A `hyper tags` JSONL file that cannot be used; the message names the line. */
export class TagsFileError extends HyperError<'bad-tags-file'> {
  constructor(message: string) {
    super('bad-tags-file', message);
  }
}

/**
 * Reads the JSONL output of `hyper tags` ({"id", "scores", "tags"} per line) a line at a time: the tag bits
 * grow as lines come, nothing else is kept per line but the id. A tag family counts as available as
 * assembleTagSet decides it: a score's three bins when some line has that score (or, for a file without
 * scores, carries one of its bins); the descriptive tags when some line carries one.
 */
class TagsJsonlReader {
  private readonly ids: string[] = [];
  private readonly seen = new Map<string, number>();
  private readonly scored = new Set<string>();
  private readonly counts = new Int32Array(TAG_COUNT);
  private bits = new Uint32Array(1024 * TAG_WORDS);

  constructor(private readonly fileName: string) {}

  /** One line of the file (1-based number `lineNo`, for messages); blank lines are skipped. */
  line(raw: string, lineNo: number): void {
    // Lines as `hyper tags` writes them have no surrounding blanks: trim (a copy) only where there are some.
    const line = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
    if (line === '') return;
    const where = `${this.fileName} line ${lineNo}`;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new TagsFileError(`${where}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj))
      throw new TagsFileError(`${where}: expected an object {"id", "scores", "tags"}`);
    const o = obj as Record<string, unknown>;
    if (typeof o.id !== 'string' && typeof o.id !== 'number') throw new TagsFileError(`${where}: "id" must be a string`);
    const id = String(o.id);
    const first = this.seen.get(id);
    if (first !== undefined) throw new TagsFileError(`${where}: id "${id}" already on line ${first}`);
    this.seen.set(id, lineNo);
    if (!Array.isArray(o.tags)) throw new TagsFileError(`${where}: "tags" must be an array of feature strings`);
    const i = this.ids.length;
    if ((i + 1) * TAG_WORDS > this.bits.length) {
      const grown = new Uint32Array(this.bits.length * 2);
      grown.set(this.bits);
      this.bits = grown;
    }
    const tags = o.tags as unknown[];
    for (let j = 0; j < tags.length; j++) {
      const tag = tags[j];
      const t = typeof tag === 'string' ? TAG_INDEX.get(tag) : undefined;
      if (t === undefined)
        throw new TagsFileError(
          `${where}: tags[${j}] ${JSON.stringify(tag)} is not one of the HyPER feature strings (the paper's 90 and the 6 judge features)`,
        );
      const word = i * TAG_WORDS + (t >>> 5);
      const bit = 1 << (t & 31);
      // A tag listed twice on a line counts once.
      if ((this.bits[word]! & bit) === 0) {
        this.bits[word]! |= bit;
        this.counts[t]!++;
      }
    }
    if (o.scores !== undefined) {
      if (!o.scores || typeof o.scores !== 'object' || Array.isArray(o.scores))
        throw new TagsFileError(`${where}: "scores" must be an object`);
      for (const name in o.scores as Record<string, unknown>) {
        const v = (o.scores as Record<string, unknown>)[name];
        if (typeof v === 'number' && Number.isFinite(v)) this.scored.add(name);
      }
    }
    this.ids.push(id);
  }

  /** The tags read, with each tag family's coverage. */
  finish(): DatasetTags {
    const { ids, counts, scored, fileName } = this;
    const n = ids.length;
    const tagBits = this.bits.slice(0, n * TAG_WORDS);
    const familyCarried = new Set<string>();
    let anyDescriptive = false;
    let anyJudge = false;
    TAG_DEFS.forEach((def, t) => {
      if (counts[t] === 0) return;
      if (def.kind === 'bin') familyCarried.add(def.score);
      else if (def.kind === 'judge' || def.kind === 'judge-confidence') anyJudge = true;
      else anyDescriptive = true;
    });
    const coverage: TagCoverage[] = TAG_IDS.map((tag, t) => {
      const def = TAG_DEFS[t]!;
      if (def.kind === 'bin' && !scored.has(def.score) && !familyCarried.has(def.score)) {
        return { tag, available: false, reason: `no line of ${fileName} has a ${def.score} score or tag`, count: 0 };
      }
      if ((def.kind === 'judge' || def.kind === 'judge-confidence') && !anyJudge) {
        return { tag, available: false, reason: `no line of ${fileName} has a judge feature`, count: 0 };
      }
      if (def.kind !== 'bin' && def.kind !== 'judge' && def.kind !== 'judge-confidence' && !anyDescriptive) {
        return { tag, available: false, reason: `no line of ${fileName} has a descriptive tag`, count: 0 };
      }
      return { tag, available: true, count: counts[t]! };
    });
    return { ids, n, tagBits, coverage };
  }
}

/**
 * Reads a `hyper tags` JSONL file as a stream (a file of any size: no whole-file string), with the SHA-256 of
 * its bytes (plans name their dataset by it). Errors name the option and the line.
 */
export async function readTagsFile(path: string, option: string): Promise<{ tags: DatasetTags; sha256: string }> {
  const reader = new TagsJsonlReader(path);
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  let lineNo = 0;
  // The lines of `text`, the first one joined to what the last chunk left over; returns the new leftover.
  // (Only the short leftover is joined, never a whole chunk to it.)
  const take = (carried: string, text: string) => {
    let end = text.indexOf('\n');
    if (end === -1) return carried + text;
    reader.line(carried + text.slice(0, end), ++lineNo);
    let at = end + 1;
    for (end = text.indexOf('\n', at); end !== -1; end = text.indexOf('\n', at)) {
      reader.line(text.slice(at, end), ++lineNo);
      at = end + 1;
    }
    return text.slice(at);
  };
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      carry = take(carry, decoder.decode(chunk, { stream: true }));
    }
    carry = take(carry, decoder.decode());
  } catch (e) {
    if (e instanceof TagsFileError) throw e;
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT') throw new InputFileError('not-found', `${option} ${path}: no such file`);
    if (code === 'EISDIR') throw new InputFileError('is-directory', `${option} ${path}: is a directory, expected a file`);
    if (e instanceof TypeError) throw new TagsFileError(`${path} line ${lineNo + 1}: not UTF-8 text`);
    throw new InputFileError('unreadable', `${option} ${path}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  reader.line(carry, ++lineNo);
  return { tags: reader.finish(), sha256: hash.digest('hex') };
}

/** The dataset-reading options of parsed arguments (`--layout`, `--mapping`, and the side-coin seed option). */
export function datasetOptions(args: Record<string, string | true>, sideSeedOption: string): DatasetReadOptions {
  const opts: DatasetReadOptions = { sideSeedOption };
  const text = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);
  const layout = text('layout');
  const mapping = text('mapping');
  const sideSeed = text(sideSeedOption.slice(2));
  if (layout !== undefined) opts.layout = layout;
  if (mapping !== undefined) opts.mapping = mapping;
  if (sideSeed !== undefined) opts.sideSeed = sideSeed;
  return opts;
}
