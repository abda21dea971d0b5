// Stored pairs: blocks of INSTANCE_BLOCK consecutive positions (one IndexedDB record a block) and their search
// form, written together; read by position, by range and in chunks.
import type { HyperDb, InstanceBlockRow, InstanceRow, SearchBlockRow } from './db';
import { INSTANCE_BLOCK } from './db';
import { concatSearchBlocks, searchBlockOf } from '../domain/dataset-query';

const blockKey = (datasetId: string, block: number): [string, number] => [datasetId, block];

/**
 * Adds pairs (any datasets, positions ascending within each) to their blocks: a block that already holds
 * earlier positions is extended. A position that is already stored is refused (as an add of an existing key),
 * so nothing stored is overwritten. Run it inside a transaction over instanceBlocks and searchBlocks to make it atomic.
 */
export async function addInstances(db: HyperDb, rows: readonly InstanceRow[]): Promise<void> {
  const groups = new Map<string, { datasetId: string; block: number; rows: InstanceRow[] }>();
  for (const r of rows) {
    const block = Math.floor(r.idx / INSTANCE_BLOCK);
    const k = `${block}\u0000${r.datasetId}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { datasetId: r.datasetId, block, rows: [] }));
    g.rows.push(r);
  }
  const touched = [...groups.values()];
  // Only a group that does not start its block can meet stored rows (blocks fill from their first position).
  const partial = touched.filter((g) => g.rows[0]!.idx % INSTANCE_BLOCK !== 0);
  const existing = partial.length ? await db.instanceBlocks.bulkGet(partial.map((g) => blockKey(g.datasetId, g.block))) : [];
  const stored = new Map(partial.map((g, i) => [g, existing[i]]));
  const fresh: InstanceBlockRow[] = [];
  const extended: InstanceBlockRow[] = [];
  const searchExtended = partial.length ? await db.searchBlocks.bulkGet(partial.map((g) => blockKey(g.datasetId, g.block))) : [];
  const storedSearch = new Map(partial.map((g, i) => [g, searchExtended[i]]));
  const search: SearchBlockRow[] = [];
  for (const g of touched) {
    for (let i = 1; i < g.rows.length; i++)
      if (g.rows[i]!.idx <= g.rows[i - 1]!.idx) throw new Error(`Pairs of dataset ${g.datasetId} must be added in position order.`);
    const before = stored.get(g)?.rows ?? [];
    const last = before.length ? before[before.length - 1]!.idx : -1;
    if (g.rows[0]!.idx <= last)
      throw new Error(`Dataset ${g.datasetId} already holds a pair at position ${g.rows[0]!.idx}; stored pairs are never overwritten.`);
    // Positions are dense: a block continues exactly where its stored rows end (or starts at its first position).
    const expected = before.length ? last + 1 : g.block * INSTANCE_BLOCK;
    if (g.rows[0]!.idx !== expected)
      throw new Error(`Dataset ${g.datasetId} has no pairs at positions ${expected}..${g.rows[0]!.idx - 1}.`);
    if (before.length) extended.push({ datasetId: g.datasetId, block: g.block, rows: before.concat(g.rows) });
    else fresh.push({ datasetId: g.datasetId, block: g.block, rows: g.rows });
    // The block's search form: the new pairs' own, appended to the stored one (rebuilt if that is missing).
    const added = searchBlockOf(g.rows);
    const had = storedSearch.get(g);
    const form = before.length === 0 ? added : had ? concatSearchBlocks(had, added) : searchBlockOf(before.concat(g.rows));
    search.push({ ...form, datasetId: g.datasetId, block: g.block });
  }
  // A fresh block is added, never put: one that exists already (the same positions twice) fails as a duplicate.
  if (fresh.length) await db.instanceBlocks.bulkAdd(fresh);
  if (extended.length) await db.instanceBlocks.bulkPut(extended);
  await db.searchBlocks.bulkPut(search);
}

/** Deletes every stored pair of a dataset. */
export async function deleteInstancesOf(db: HyperDb, datasetId: string): Promise<void> {
  await db.instanceBlocks.where('[datasetId+block]').between([datasetId, -Infinity], [datasetId, Infinity]).delete();
  await db.searchBlocks.where('[datasetId+block]').between([datasetId, -Infinity], [datasetId, Infinity]).delete();
}

/**
 * Visits the search blocks of a dataset in order, read a page at a time. False where they do not cover every
 * stored block (the caller then indexes the pairs themselves).
 */
export async function forEachSearchBlock(db: HyperDb, datasetId: string, visit: (b: SearchBlockRow) => void): Promise<boolean> {
  const blocks = await db.instanceBlocks.where('[datasetId+block]').between([datasetId, -Infinity], [datasetId, Infinity]).count();
  let seen = 0;
  for (let from = 0; ; from += 32) {
    const page = await db.searchBlocks
      .where('[datasetId+block]')
      .between(blockKey(datasetId, from), blockKey(datasetId, from + 32), true, false)
      .toArray();
    if (page.length === 0) break;
    for (const b of page) {
      if (b.block !== seen) return false;
      visit(b);
      seen++;
    }
  }
  return seen === blocks;
}

/** How many pairs are stored, for one dataset or for all. */
export async function countInstances(db: HyperDb, datasetId?: string): Promise<number> {
  const blocks =
    datasetId === undefined
      ? db.instanceBlocks.toCollection()
      : db.instanceBlocks.where('[datasetId+block]').between([datasetId, -Infinity], [datasetId, Infinity]);
  let n = 0;
  await blocks.each((b) => (n += b.rows.length));
  return n;
}

/** Instances by position (0-based idx), in the order asked; missing positions are skipped. */
export async function readInstances(db: HyperDb, datasetId: string, indices: readonly number[]): Promise<InstanceRow[]> {
  const wanted = [...new Set(indices.map((i) => Math.floor(i / INSTANCE_BLOCK)))];
  const blocks = await db.instanceBlocks.bulkGet(wanted.map((b) => blockKey(datasetId, b)));
  const byBlock = new Map(wanted.map((b, i) => [b, blocks[i]]));
  const out: InstanceRow[] = [];
  for (const i of indices) {
    const rows = byBlock.get(Math.floor(i / INSTANCE_BLOCK))?.rows;
    const r = rows?.[i % INSTANCE_BLOCK];
    if (r && r.idx === i) out.push(r);
    else {
      const found = rows?.find((x) => x.idx === i);
      if (found) out.push(found);
    }
  }
  return out;
}

/** Instances at positions [from, from + count), in order. */
export async function readInstanceRange(db: HyperDb, datasetId: string, from: number, count: number): Promise<InstanceRow[]> {
  if (count <= 0) return [];
  const to = from + count;
  const blocks = await db.instanceBlocks
    .where('[datasetId+block]')
    .between(blockKey(datasetId, Math.floor(from / INSTANCE_BLOCK)), blockKey(datasetId, Math.floor((to - 1) / INSTANCE_BLOCK)), true, true)
    .toArray();
  const out: InstanceRow[] = [];
  for (const b of blocks) for (const r of b.rows) if (r.idx >= from && r.idx < to) out.push(r);
  return out;
}

/** Streams every instance of a dataset in order, in chunks (for workers that scan a whole dataset). */
export async function forEachInstanceChunk(
  db: HyperDb,
  datasetId: string,
  chunkSize: number,
  visit: (rows: InstanceRow[]) => void,
): Promise<void> {
  // Whole blocks at a time: a chunk is rounded up to a multiple of the block.
  const perRead = Math.max(1, Math.ceil(chunkSize / INSTANCE_BLOCK));
  for (let block = 0; ; block += perRead) {
    const blocks = await db.instanceBlocks
      .where('[datasetId+block]')
      .between(blockKey(datasetId, block), blockKey(datasetId, block + perRead), true, false)
      .toArray();
    if (blocks.length === 0) return;
    visit(blocks.length === 1 ? blocks[0]!.rows : blocks.flatMap((b) => b.rows));
  }
}
