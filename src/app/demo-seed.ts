// The built-in demo project: pairs written for this project (src/demo), imported through the same
// domain readers as any user file, so the demo exercises the real path.
import demoText from '../demo/demo-pairs.jsonl?raw';
import { ImportSession } from '../domain/formats/import-session';
import { readTable } from '../domain/formats/container';
import { DEFAULT_MAP_OPTIONS } from '../domain/formats/types';
import type { HyperDb } from '../storage/db';
import { seedProject } from '../storage/seed-repo';

export const DEMO_FILE_NAME = 'demo-pairs.jsonl';
const DEMO_FLAG = 'demo-seeded';

/** Creates the demo project on first start (and when asked to restore it). Returns its id, or null if it already existed. */
export async function ensureDemoProject(db: HyperDb, opts: { force?: boolean } = {}): Promise<string | null> {
  if (!opts.force && (await db.meta.get(DEMO_FLAG))) return null;
  const bytes = new TextEncoder().encode(demoText);
  const session = new ImportSession();
  const meta = await readTable(bytes, DEMO_FILE_NAME, session);
  const [best] = session.recognise();
  if (!best || best.score <= 0) throw new Error('The bundled demo data is not in a recognised shape.');
  const options = { ...DEFAULT_MAP_OPTIONS };
  const report = session.evaluate(best.shape, options, { fileName: DEMO_FILE_NAME, ...meta });
  const records = [...session.records(best.shape, options)];
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  const contentHash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return seedProject(db, {
    flag: opts.force ? null : DEMO_FLAG,
    projectName: 'Demo project',
    dataset: {
      name: 'Demo pairs',
      fileName: DEMO_FILE_NAME,
      format: meta.format,
      compressed: meta.compressed,
      shape: best.shape,
      options,
      contentHash,
      report,
    },
    records,
  });
}
