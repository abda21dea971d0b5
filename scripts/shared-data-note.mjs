// Says, at the start of a test run, whether the real data beside the checkout (../shared/data) is there. Without
// it the real-data tests skip themselves; this line is where the output says so (vitest and Playwright both
// call it as their global setup).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export default function sharedDataNote() {
  const dir = resolve(process.cwd(), '../shared/data');
  if (existsSync(dir)) {
    process.stdout.write(`real data: ${dir} found; the real-data tests run\n`);
  } else {
    process.stdout.write(
      `\nreal data: ${dir} is not there, so the real-data tests SKIP (each is listed as skipped below).\n` +
        "  Every other test uses the project's own fixtures and runs as usual.\n\n",
    );
  }
}
