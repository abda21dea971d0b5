// The built-in demo project: pairs written for this project (src/demo/demo-pairs.jsonl). The import worker
// reads them with the same readers and layouts as any user file, so the demo exercises the real path.
import demoText from '../demo/demo-pairs.jsonl?raw';
import { importWorker } from '../workers/import-client';

/** Creates the demo project on first start, or again when `force` (restore). Returns its id, or null if it already existed. */
export async function ensureDemoProject(opts: { force?: boolean } = {}): Promise<string | null> {
  const { projectId } = await importWorker().request({
    type: 'seed-demo',
    text: demoText,
    fileName: 'demo-pairs.jsonl',
    force: opts.force ?? false,
  });
  return projectId;
}
