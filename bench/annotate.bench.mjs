// Labelling speed in the browser: a 10k-pair plan (every pair routed), then keypress -> next item rendered,
// for "next" (n) and for "submit and next" (Enter after 2 and w), plus the longest main-thread task while
// labelling. Pairs are the demo's made unique by seeded word edits, so texts have realistic Markdown.
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { importWithFeatures, lockTopkPlan, longTasks, observeLongTasks, openRoute } from './harness.mjs';
import { DEMO_FIELDS, uniquePairMaker } from './unique-pairs.mjs';

export const name = 'annotation (browser)';
const N = Number(process.env.BENCH_ANNOTATE_SIZE ?? 10_000);
const STEPS = 40;

async function makeFile(n) {
  const demo = readFileSync(new URL('../src/demo/demo-pairs.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const dir = new URL('./out/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const path = `${dir}annotate-${n}.jsonl`;
  const out = createWriteStream(path);
  // Every prompt and response unique (seeded word edits of the demo's), so no cache of rendered text is hit.
  const maker = uniquePairMaker(demo, 5 + n, DEMO_FIELDS);
  for (let i = 0; i < n; i++) {
    const row = maker.next();
    if (!out.write(`${JSON.stringify(row)}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return path;
}

/** In the page: dispatch keys, then time until the queue position reads `expected` and a frame has painted. */
async function timedKeys(page, keys, expected) {
  return page.evaluate(
    async ({ keys, expected }) => {
      const pos = () => document.querySelector('[data-testid="queue-position"]')?.textContent;
      const prompt = () => document.querySelector('section[aria-label="Prompt"]');
      const t0 = performance.now();
      // The annotator's keymap reads physical keys (KeyboardEvent.code), as a real keypress gives them.
      const codeOf = (key) => (key === 'Enter' ? 'Enter' : /^\d$/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`);
      for (const key of keys) window.dispatchEvent(new KeyboardEvent('keydown', { key, code: codeOf(key) }));
      await new Promise((resolve, reject) => {
        const check = () => pos() === expected && prompt() && document.querySelector('[data-testid="item-status"]');
        if (check()) return resolve();
        const obs = new MutationObserver(() => {
          if (check()) {
            obs.disconnect();
            resolve();
          }
        });
        obs.observe(document.body, { subtree: true, childList: true, characterData: true });
        setTimeout(() => reject(new Error(`item "${expected}" not shown after 10 s (shows "${pos()}")`)), 10_000);
      });
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    },
    { keys, expected },
  );
}

export async function run({ baseURL, browser }) {
  const path = await makeFile(N);
  const context = await browser.newContext({ baseURL });
  await observeLongTasks(context);
  const page = await context.newPage();
  const Nt = N.toLocaleString('en-US');
  const Np = String(N);
  await importWithFeatures(page, { projectName: `annotate ${N}`, path, n: N });
  await openRoute(page);
  await lockTopkPlan(page, N);
  await page.getByRole('link', { name: 'Annotate', exact: true }).click();
  await page.getByLabel('Your name').fill('bench');
  await page.getByLabel('Your name').press('Enter');
  await page.getByTestId('item-status').waitFor();
  const since = await page.evaluate(() => performance.now());
  const next = [];
  const submit = [];
  for (let i = 0; i < STEPS; i++) {
    next.push(await timedKeys(page, ['n'], `Item ${2 * i + 2} of ${Np}`));
    submit.push(await timedKeys(page, ['2', 'w', 'Enter'], `Item ${2 * i + 3} of ${Np}`));
  }
  const tasks = await longTasks(page, since);
  // Every submission must be stored: read IndexedDB directly once the save queue has drained.
  await page
    .getByTestId('queue-progress')
    .filter({ hasText: `${STEPS} submitted` })
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  const stored = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('hyper-workbench');
        req.onsuccess = () => {
          const all = req.result.transaction('annotations').objectStore('annotations').getAll();
          all.onsuccess = () => resolve(all.result.filter((a) => a.status === 'submitted' && a.overall && a.confidence).length);
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
  await context.close();
  const stat = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[s.length >> 1], p95: s[Math.floor(s.length * 0.95)], max: s[s.length - 1] };
  };
  const a = stat(next);
  const b = stat(submit);
  return [
    {
      benchmark: name,
      metric: `${Nt}-item queue: key "n" to next item painted, median / p95 / max ms (${STEPS})`,
      value: `${a.median.toFixed(1)} / ${a.p95.toFixed(1)} / ${a.max.toFixed(1)}`,
      target: '< 50',
      ok: a.p95 < 50,
    },
    {
      benchmark: name,
      metric: `${Nt}-item queue: "2 w Enter" (label, submit) to next item painted, median / p95 / max ms (${STEPS})`,
      value: `${b.median.toFixed(1)} / ${b.p95.toFixed(1)} / ${b.max.toFixed(1)}`,
      target: '< 50',
      ok: b.p95 < 50,
    },
    {
      benchmark: name,
      metric: 'longest main-thread task while labelling (ms)',
      value: tasks.reduce((m, t) => Math.max(m, t.duration), 0).toFixed(0),
      target: '< 50',
      ok: tasks.every((t) => t.duration < 50),
    },
    {
      benchmark: name,
      metric: 'submissions stored in IndexedDB (of those made)',
      value: `${stored} of ${STEPS}`,
      target: 'all',
      ok: stored === STEPS,
    },
  ];
}
