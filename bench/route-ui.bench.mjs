// Routing in the browser, through the app's UI and routing worker: 10k and 100k pairs in the HyPER layout
// (the demo's prompts and responses made unique by seeded word edits, each descriptive field drawn from another demo row so the tag
// combinations vary; seeded). Measures preparing a PPM session, top-k, simulated K=500 at one budget, the
// 21-point simulated curve (K=500 each), and slider input to repaint on the main thread.
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { importWithFeatures, longTasks, observeLongTasks, openRoute, rng } from './harness.mjs';
import { DEMO_FIELDS, uniquePairMaker } from './unique-pairs.mjs';

export const name = 'routing (browser)';
const SIZES = (process.env.BENCH_ROUTE_SIZES ?? '10000,100000').split(',').map(Number);
const DESCRIPTIVE = [
  'subject_of_expertise',
  'languages',
  'expertise_level',
  'open_endedness',
  'safety_concern',
  'complexity_of_intents',
  'type_of_in_context_material',
  'format_constraints',
];

async function makeFile(n) {
  const demo = readFileSync(new URL('../src/demo/demo-pairs.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const dir = new URL('./out/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const path = `${dir}route-${n}.jsonl`;
  const out = createWriteStream(path);
  const random = rng(11 + n);
  const pick = () => demo[Math.floor(random() * demo.length)];
  // Every prompt and response unique (seeded word edits), so no cache of the feature step is hit.
  const maker = uniquePairMaker(demo, 11 + n, DEMO_FIELDS);
  for (let i = 0; i < n; i++) {
    const row = maker.next();
    for (const k of DESCRIPTIVE) row[k] = pick()[k];
    if (!out.write(`${JSON.stringify(row)}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return { path, uniqueTexts: maker.stats().uniqueTexts };
}

/** Waits until the outcome shown is for `strategy` with `budget` human pairs and not stale; returns the worker's ms. */
async function outcomeMs(page, strategy, budget) {
  const sel = `[data-testid="route-outcome"][data-strategy="${strategy}"]${budget === undefined ? '' : `[data-budget="${budget}"]`}:not(.opacity-60)`;
  await page.locator(sel).waitFor({ timeout: 600_000 });
  return Number(await page.locator(sel).getAttribute('data-ms'));
}

/**
 * Slider moves on the main thread. work = input event -> React commit (the label shows the new budget)
 * plus the next frame's style/layout/paint (rAF -> first task after it); latency = input -> that point,
 * which also waits for the next vsync.
 */
async function sliderFrames(page, steps) {
  return page.evaluate(async (count) => {
    const slider = document.querySelector('input[aria-label="Human budget"]');
    const label = slider.closest('label');
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const work = [];
    const latency = [];
    const max = Number(slider.max);
    for (let i = 0; i < count; i++) {
      const v = Math.round((max * (i % 40)) / 40) + 1;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const t0 = performance.now();
      setter.call(slider, String(v));
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await Promise.resolve();
      const t1 = performance.now();
      if (!label.textContent.includes(`Human budget: ${v.toLocaleString('en-US')} pairs`))
        throw new Error(`the slider label did not follow (${v})`);
      let t2 = 0;
      await new Promise((r) =>
        requestAnimationFrame(() => {
          t2 = performance.now();
          setTimeout(r, 0);
        }),
      );
      const t3 = performance.now();
      work.push(t1 - t0 + (t3 - t2));
      latency.push(t3 - t0);
    }
    return { work, latency };
  }, steps);
}

export async function run({ baseURL, browser }) {
  const rows = [];
  for (const n of SIZES) {
    const { path, uniqueTexts } = await makeFile(n);
    const context = await browser.newContext({ baseURL });
    await observeLongTasks(context);
    const page = await context.newPage();
    await importWithFeatures(page, { projectName: `route ${n}`, path, n });
    const t0 = Date.now();
    await openRoute(page);
    const prepareMs = Date.now() - t0;
    const since = await page.evaluate(() => performance.now());
    const b = Math.round(n * 0.25);
    // The page opens on simulated at 25%: that result and the simulated curve come first.
    const simMs = await outcomeMs(page, 'simulated', b);
    await page.locator('figure[data-curve-ms]').waitFor({ timeout: 600_000 });
    const curveMs = Number(await page.locator('figure[data-curve-ms]').getAttribute('data-curve-ms'));
    await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
    const topkMs = await outcomeMs(page, 'topk', b);
    await page.getByLabel('Strategy', { exact: true }).selectOption('simulated');
    await outcomeMs(page, 'simulated', b);
    const frames = await sliderFrames(page, 60);
    const work = frames.work.sort((x, y) => x - y);
    const latency = frames.latency.sort((x, y) => x - y);
    const tasks = await longTasks(page, since);
    await context.close();
    const N = `${n.toLocaleString('en-US')} (${uniqueTexts.toLocaleString('en-US')} distinct texts)`;
    const small = n <= 10_000;
    rows.push(
      {
        benchmark: name,
        metric: `${N}: prepare (tags + PPM session on WASM + gains + tag gains), wall ms`,
        value: prepareMs.toFixed(0),
        target: '',
      },
      {
        benchmark: name,
        metric: `${N}: top-k at 25%, worker ms`,
        value: topkMs.toFixed(1),
        target: small ? '< 50' : '',
        ok: small ? topkMs < 50 : undefined,
      },
      {
        benchmark: name,
        metric: `${N}: simulated K=500 at 25%, worker ms`,
        value: simMs.toFixed(0),
        target: small ? '< 1,000' : '',
        ok: small ? simMs < 1000 : undefined,
      },
      {
        benchmark: name,
        metric: `${N}: 21-point curve, simulated K=500 each, worker ms`,
        value: curveMs.toFixed(0),
        target: small ? '< 10,000' : '',
        ok: small ? curveMs < 10_000 : undefined,
      },
      {
        benchmark: name,
        metric: `${N}: slider move, main-thread work (commit + next frame), median / p95 / max ms (60 moves)`,
        value: `${work[30].toFixed(1)} / ${work[56].toFixed(1)} / ${work[59].toFixed(1)}`,
        target: small ? '< 16 a frame' : '',
        ok: small ? work[56] < 16 : undefined,
      },
      {
        benchmark: name,
        metric: `${N}: slider input to repainted frame (includes waiting for vsync), median / max ms`,
        value: `${latency[30].toFixed(1)} / ${latency[59].toFixed(1)}`,
        target: '',
      },
      {
        benchmark: name,
        metric: `${N}: longest main-thread task while routing (ms)`,
        value: tasks.reduce((m, t) => Math.max(m, t.duration), 0).toFixed(0),
        target: '< 50',
        ok: tasks.every((t) => t.duration < 50),
      },
    );
  }
  return rows;
}
