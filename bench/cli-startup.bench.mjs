// CLI start-up: `hyper COMMAND --help` through bin/hyper.mjs (the bundle already built), against node itself.
// Each command's code is loaded only when it runs, and the scorers (tokenizer, entity model) only when tags are
// computed. Medians of 7 runs. Target: under 0.4 s.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const name = 'CLI start-up';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function median(cmd, args) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    execFileSync(cmd, args, { cwd: ROOT, stdio: 'ignore' });
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[3];
}

export async function run() {
  // Builds the bundle if the sources are newer (not measured).
  execFileSync(process.execPath, ['bin/hyper.mjs', '--help'], { cwd: ROOT, stdio: 'ignore' });
  const node = median(process.execPath, ['-e', '0']);
  const rows = [{ benchmark: name, metric: 'node -e 0', value: `${(node / 1000).toFixed(2)} s`, target: '' }];
  for (const command of ['route', 'merge', 'tags', 'serve']) {
    const t = median(process.execPath, ['bin/hyper.mjs', command, '--help']);
    rows.push({
      benchmark: name,
      metric: `hyper ${command} --help`,
      value: `${(t / 1000).toFixed(2)} s`,
      target: '< 0.4 s',
      ok: t < 400,
      measured: t / 1000,
      limit: 0.4,
      ...(command === 'route' ? { was: '0.77-1.5 s (one bundle, every import at start-up)' } : {}),
    });
  }
  return rows;
}
