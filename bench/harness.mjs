// Shared benchmark plumbing: a preview server for dist/, Debian Chromium with a marker flag so its process
// tree can be found, a memory sampler over that tree, and long-task collection in the page.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const PORT = 4181;
const MARKER = '--hyper-bench-marker';

export async function startPreview() {
  const root = new URL('..', import.meta.url).pathname;
  // Run vite's own entry with this node (not through npx) so that killing the child stops the server.
  const child = spawn(
    process.execPath,
    [`${root}node_modules/vite/bin/vite.js`, 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  let exited = null;
  child.on('exit', (code) => (exited = code));
  const url = `http://127.0.0.1:${PORT}`;
  for (let i = 0; i < 100 && exited === null; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop: () => child.kill() };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`vite preview did not start on port ${PORT}${exited !== null ? ` (exited with ${exited}; is the port in use?)` : ''}`);
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
      MARKER,
    ],
  });
}

function procTable() {
  const table = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      table.set(Number(pid), { ppid, rssKb: rss ? Number(rss[1]) : 0, cmd });
    } catch {
      /* process ended */
    }
  }
  return table;
}

/** Sum of RSS over the marked Chromium process and all its descendants, in MB. */
export function browserRssMb() {
  const table = procTable();
  const roots = [...table].filter(([, p]) => p.cmd.includes(MARKER) && !table.get(p.ppid)?.cmd.includes(MARKER)).map(([pid]) => pid);
  const inTree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of table) {
      if (!inTree.has(pid) && inTree.has(p.ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const pid of inTree) kb += table.get(pid)?.rssKb ?? 0;
  return kb / 1024;
}

/** Samples browserRssMb every `ms` until stopped; returns the peak. */
export function sampleMemory(ms = 100) {
  let peak = browserRssMb();
  const timer = setInterval(() => (peak = Math.max(peak, browserRssMb())), ms);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, browserRssMb());
      return peak;
    },
  };
}

/** Installs a long-task observer in every page of the context: read with `longTasks(page)`. */
export async function observeLongTasks(context) {
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

export async function longTasks(page, sinceMs = 0) {
  return page.evaluate((since) => window.__longTasks.filter((t) => t.start >= since), sinceMs);
}

/** Seeded PRNG (mulberry32) for resampling. */
export { rng } from '../scripts/seeded.mjs';

/** Through the app's UI: a new project with `path` imported (n pairs) and its features computed. */
export async function importWithFeatures(page, { projectName, path, n, workers = 2 }) {
  const Nt = n.toLocaleString('en-US');
  await page.goto('/');
  await page.getByLabel('New project name').fill(projectName);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByLabel('Dataset file').setInputFiles(path);
  await page.getByRole('button', { name: `Import ${Nt} pairs` }).click({ timeout: 300_000 });
  await page
    .getByTestId('match-count')
    .filter({ hasText: `${Nt} pairs` })
    .waitFor({ timeout: 300_000 });
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByLabel('Workers').fill(String(workers));
  await page.getByRole('button', { name: /ompute tags/ }).click();
  await page.locator('[data-testid="tag-status"][data-created-at]').waitFor({ timeout: 600_000 });
}

/** On the Route page (PPM prepared): a top-k plan routing `budget` pairs to humans, locked. */
export async function lockTopkPlan(page, budget) {
  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Budget (pairs)').fill(String(budget));
  await page.locator(`[data-testid="route-outcome"][data-budget="${budget}"]:not(.opacity-60)`).waitFor({ timeout: 600_000 });
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await page.getByTestId('current-plan').waitFor();
}

export async function openRoute(page) {
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await page.getByTestId('ppm-summary').waitFor({ timeout: 600_000 });
}
