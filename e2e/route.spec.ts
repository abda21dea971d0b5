import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parsePlanFile } from '../src/domain/routing/plan-file';
import { demoWithFeatures, narrowModel, quadraticModel } from './fixtures/route';

test('route the demo with the built-in PPM: slider, curve, lock a plan; the queue matches', async ({ page }) => {
  await demoWithFeatures(page);
  const summary = page.getByTestId('ppm-summary');
  await expect(page.getByLabel('PPM', { exact: true })).toHaveValue(/.+/);
  await expect(page.getByLabel('PPM', { exact: true }).locator('option:checked')).toContainText('built in');
  await expect(summary).toContainText('linear');
  await expect(summary).toContainText('uncalibrated');
  // Headless Chromium has no real GPU: the automatic choice runs on WASM, and says so.
  await expect(page.getByTestId('ppm-backend')).toHaveText('wasm');
  // The demo has no encoder scores: the 9 semantic tags the PPM uses count as zero, and are named.
  await expect(summary).toContainText('9 features count as zero');
  await expect(summary.getByRole('list', { name: 'Features missing in the data' })).toContainText(
    'cosine_sim: 3 tags (min_val=0.0|max_val=0.33',
  );
  await expect(page.getByRole('table', { name: 'Gain per tag' }).getByRole('row')).toHaveCount(13);
  await expect(page.getByRole('img', { name: 'Curve with 21 points' })).toBeVisible();

  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Human budget').fill('12');
  await expect(page.getByText('Human budget: 12 pairs (30.0%)')).toBeVisible();
  const outcome = page.getByTestId('route-outcome');
  await expect(outcome).toContainText('12 pairs to humans');
  // Keyboard on the slider moves it one pair at a time.
  await page.getByLabel('Human budget').press('ArrowRight');
  await expect(outcome).toContainText('13 pairs to humans');
  await page.getByLabel('Strategy', { exact: true }).selectOption('simulated');
  await expect(outcome).toContainText('13 pairs to humans');
  await expect(outcome).toContainText('500 candidates evaluated');
  const predicted = Number(await page.getByTestId('predicted').getAttribute('data-value'));
  // Simulated routing is deterministic for a seed: another seed and back gives the same score.
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByLabel('Seed', { exact: true }).fill('1');
  await expect(page.getByTestId('predicted')).toHaveAttribute('data-value', String(predicted));

  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText('Plan v1');
  await expect(page.getByTestId('current-plan')).toContainText('Human queue: 13 pairs');
  // A second lock supersedes the first; both are kept.
  await page.getByLabel('Budget (pairs)').fill('8');
  await expect(outcome).toContainText('8 pairs to humans');
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText('Plan v2');
  await expect(page.getByTestId('current-plan')).toContainText('Human queue: 8 pairs');
  await page.reload();
  await expect(page.getByTestId('current-plan')).toContainText('Human queue: 8 pairs');
  const stored = await page.evaluate(
    () =>
      new Promise<{ version: number; count: number; superseded: boolean }[]>((resolve, reject) => {
        const req = indexedDB.open('hyper-workbench');
        req.onsuccess = () => {
          const all = req.result.transaction('plans').objectStore('plans').getAll();
          all.onsuccess = () =>
            resolve(
              (all.result as { version: number; humanIdx: Uint32Array; supersededBy?: string }[])
                .map((p) => ({ version: p.version, count: p.humanIdx.length, superseded: !!p.supersededBy }))
                .sort((a, b) => a.version - b.version),
            );
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
  expect(stored).toEqual([
    { version: 1, count: 13, superseded: true },
    { version: 2, count: 8, superseded: false },
  ]);

  // The plan as a file, in the format `hyper route` writes and `hyper merge` reads.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download plan (JSON)' }).click();
  const planFile = parsePlanFile(readFileSync(await (await download).path(), 'utf8'), 'plan.json');
  expect(planFile.human).toHaveLength(8);
  expect(planFile.strategy).toBe('simulated');
  expect(planFile.dataset.n).toBe(40);
  expect(planFile.human.every((h) => /^demo-\d{3}$/.test(h.id))).toBe(true);

  // Why a pair was routed: its tags with their contributions.
  await page.getByLabel('Explain pair number').fill('3');
  await expect(page.getByTestId('explain')).toContainText('Contribution of each of its tags');
});

test('an uploaded quadratic PPM routes; a corrupt file gets a clear message', async ({ page }) => {
  await demoWithFeatures(page);
  await page
    .getByLabel('Upload a PPM', { exact: true })
    .setInputFiles({ name: 'broken.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('not an onnx model') });
  await expect(page.getByText('The PPM was not stored')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('broken.onnx is not a PPM this app can use');
  // A rejected file is not kept: the picker still lists only the built-in PPM.
  await expect(page.getByLabel('PPM', { exact: true }).locator('option')).toHaveCount(1);
  // A huge file is refused at once, before it is read (IndexedDB would refuse it minutes later, silently).
  const huge = join(mkdtempSync(join(tmpdir(), 'hyper-huge-')), 'huge.onnx');
  writeFileSync(huge, '');
  truncateSync(huge, 300 * 1024 * 1024);
  await page.getByLabel('Upload a PPM', { exact: true }).setInputFiles(huge);
  await expect(page.getByRole('alert').filter({ hasText: 'huge.onnx is 315 MB; a PPM file here is at most 64 MB' })).toBeVisible();
  await expect(page.getByLabel('PPM', { exact: true }).locator('option')).toHaveCount(1);
  // A model that meets the contract but whose graph does not take its declared width (symbolic input) says so.
  await page
    .getByLabel('Upload a PPM', { exact: true })
    .setInputFiles({ name: 'narrow.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(narrowModel()) });
  await expect(page.getByText('This PPM cannot be used')).toBeVisible();
  await expect(
    page.getByRole('alert').filter({ hasText: 'narrow.onnx passes the PPM contract but does not run on its 96 declared feature columns' }),
  ).toBeVisible();
  // An uploaded PPM can be removed again.
  await page.getByRole('button', { name: 'Remove this PPM' }).click();
  await page.getByRole('dialog', { name: 'Remove this PPM?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByLabel('PPM', { exact: true }).locator('option')).toHaveCount(1);
  await expect(page.getByTestId('ppm-summary')).toContainText('linear');
  await page
    .getByLabel('Upload a PPM', { exact: true })
    .setInputFiles({ name: 'quadratic.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(quadraticModel()) });
  await expect(page.getByTestId('ppm-summary')).toContainText('quadratic');
  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Budget (pairs)').fill('10');
  await expect(page.getByTestId('route-outcome')).toContainText('10 pairs to humans');
  await page.getByLabel('Refine with local search').check();
  await expect(page.getByTestId('route-outcome')).toContainText('Local search (beyond the paper)');
});

test('page and command line choose the same pairs: best over budgets bounded by the budget, and top-k', async ({ page }) => {
  await demoWithFeatures(page);
  const dir = mkdtempSync(join(tmpdir(), 'hyper-parity-'));
  for (const [strategy, cli] of [
    ['best', 'best'],
    ['topk', 'topk'],
  ] as const) {
    await page.getByLabel('Strategy', { exact: true }).selectOption(strategy);
    await page.getByLabel('Budget (pairs)').fill('10');
    await page.getByLabel('Candidates (K)').fill('100');
    await page.getByLabel('Seed', { exact: true }).fill('3');
    const outcome = page.getByTestId('route-outcome');
    await expect(outcome).toHaveAttribute('data-strategy', strategy);
    // The result of these settings (best: seed 3, 20 budgets x 100 candidates), not an earlier one.
    if (strategy === 'best') await expect(outcome).toHaveAttribute('data-seed', '3');
    else await expect(outcome).toHaveAttribute('data-budget', '10');
    await expect(outcome).toHaveAttribute('aria-busy', 'false');
    const routed = Number(await outcome.getAttribute('data-budget'));
    expect(routed).toBeGreaterThan(0);
    expect(routed).toBeLessThanOrEqual(10);
    await page.getByRole('button', { name: 'Lock routing plan' }).click();
    await expect(page.getByTestId('current-plan')).toContainText(`Human queue: ${routed} pairs`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download plan (JSON)' }).click();
    const fromPage = parsePlanFile(readFileSync(await (await download).path(), 'utf8'), 'page.json');
    const out = join(dir, `${strategy}.json`);
    const run = spawnSync(
      process.execPath,
      [
        'bin/hyper.mjs',
        'route',
        '--input',
        'src/demo/demo-pairs.jsonl',
        '--ppm',
        'paper-prior',
        '--strategy',
        cli,
        '--budget',
        '10',
        '--seed',
        '3',
        ...(cli === 'best' ? ['--candidates', '100'] : []),
        '--output',
        out,
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const fromCli = parsePlanFile(readFileSync(out, 'utf8'), 'cli.json');
    expect(fromPage.human.map((h) => h.id)).toEqual(fromCli.human.map((h) => h.id));
    expect(fromPage.candidates).toBe(fromCli.candidates);
    expect(fromPage.strategy).toBe(fromCli.strategy);
  }
});

test('invalid input is said, not swallowed: a budget above the pairs, a pair number that does not exist; no old numbers beside new settings', async ({
  page,
}) => {
  await demoWithFeatures(page);
  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Budget (pairs)').fill('10');
  await expect(page.getByTestId('route-outcome')).toContainText('10 pairs to humans');
  // 2,000 pairs of 40: the field says why, keeps what was typed, and the result shown is the one in use.
  await page.getByLabel('Budget (pairs)').fill('2000');
  await page.getByLabel('Budget (pairs)').blur();
  await expect(
    page.getByRole('alert').filter({ hasText: '2,000 is more than 40, the most allowed. The value in use is still 10.' }),
  ).toBeVisible();
  await expect(page.getByLabel('Budget (pairs)')).toHaveValue('2000');
  await expect(page.getByTestId('route-outcome')).toContainText('10 pairs to humans');
  await page.getByLabel('Budget (pairs)').fill('12');
  await expect(page.getByRole('alert').filter({ hasText: 'the most allowed' })).toHaveCount(0);
  await expect(page.getByTestId('route-outcome')).toContainText('12 pairs to humans');

  for (const bad of ['9999', '0', 'abc', '']) {
    await page.getByLabel('Explain pair number').fill(bad);
    await expect(page.getByRole('alert').filter({ hasText: 'Enter a pair number from 1 to 40.' })).toBeVisible();
    await expect(page.getByTestId('explain')).toHaveCount(0);
  }
  await page.getByLabel('Explain pair number').fill('3');
  await expect(page.getByTestId('explain')).toContainText('Contribution of each of its tags');

  // Switching the strategy shows a computing state, never the old strategy's numbers beside the new settings:
  // a watcher in the page records every render of the outcome from the switch on.
  await page.evaluate(() => {
    const w = window as unknown as { seenStrategies: string[] };
    w.seenStrategies = [];
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="route-outcome"]');
      if (el) w.seenStrategies.push(el.getAttribute('data-strategy') ?? '');
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByLabel('Strategy', { exact: true }).selectOption('simulated');
  const outcome = page.getByTestId('route-outcome');
  await expect(page.getByTestId('route-computing').or(outcome)).toBeVisible();
  await expect(outcome).toHaveAttribute('data-strategy', 'simulated');
  await expect(outcome).toContainText('500 candidates evaluated');
  const seen = await page.evaluate(() => (window as unknown as { seenStrategies: string[] }).seenStrategies);
  expect(seen.filter((x) => x !== 'simulated')).toEqual([]);
});
