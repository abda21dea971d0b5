// Re-routing must never lose a human label: annotations made under plan v1 stay in the export after v2 is
// locked, the Route page lists both plans with their labels, and the lead picks the plan in use.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { labelItems, startAnnotating, storedAnnotations } from './fixtures/annotate';
import { demoWithFeatures } from './fixtures/route';
import { unzip } from './fixtures/unzip';

async function lock(page: Page, strategy: 'topk' | 'simulated', budget: number, version: number): Promise<void> {
  await page.getByLabel('Strategy', { exact: true }).selectOption(strategy);
  await page.getByLabel('Budget (pairs)').fill(String(budget));
  await expect(page.getByTestId('route-outcome')).toContainText(`${budget} pairs to humans`);
  await expect(page.getByTestId('route-outcome')).toHaveAttribute('data-strategy', strategy);
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText(`Plan v${version} in use`);
}

interface StoredPlan {
  id: string;
  version: number;
  humanIdx: Uint32Array;
}

async function storedPlans(page: Page): Promise<{ id: string; version: number; humanIdx: number[] }[]> {
  return page.evaluate(
    () =>
      new Promise<{ id: string; version: number; humanIdx: number[] }[]>((resolve, reject) => {
        const req = indexedDB.open('hyper-workbench');
        req.onsuccess = () => {
          const all = req.result.transaction('plans').objectStore('plans').getAll();
          all.onsuccess = () =>
            resolve((all.result as StoredPlan[]).map((p) => ({ id: p.id, version: p.version, humanIdx: [...p.humanIdx] })));
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

test('label on plan v1, lock v2 with another strategy: every human label is exported, and the plans are listed', async ({ page }) => {
  await demoWithFeatures(page);
  await lock(page, 'topk', 6, 1);
  await startAnnotating(page, 'ana');
  // No ties, so every label is a training pair.
  await labelItems(page, ['1', '5', '2', '4']);
  await expect(page.getByTestId('queue-progress')).toContainText('4 submitted');
  const made = (await storedAnnotations(page)).filter((a) => a.status === 'submitted');
  expect(made).toHaveLength(4);

  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await lock(page, 'simulated', 3, 2);
  const plans = (await storedPlans(page)).sort((a, b) => a.version - b.version);
  const v2 = plans[1]!;
  const labelled = new Set(made.map((a) => a.idx));
  const outside = made.filter((a) => !v2.humanIdx.includes(a.idx)).length;
  // The test is only meaningful when v2 leaves some of v1's labels outside its queue.
  expect(outside).toBeGreaterThan(0);

  // Plan history: both versions, labels made under each (carried copies are not new labels).
  const history = page.getByRole('table', { name: 'Plan history' });
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(page.getByTestId('plan-labels-1')).toHaveText('4');
  await expect(page.getByTestId('plan-labels-2')).toHaveText('0');
  await expect(page.getByTestId('plan-row-2')).toContainText('in use');

  // Annotate opens v2's queue at the first item not yet done, not at item 1 regardless.
  await page.getByRole('link', { name: 'Annotate', exact: true }).click();
  const first = v2.humanIdx.findIndex((idx) => !labelled.has(idx));
  await expect(page.getByTestId('queue-position')).toHaveText(`Item ${(first < 0 ? 0 : first) + 1} of 3`);

  // Export: every one of the 4 human labels is in the dataset, and the page says how many came from outside v2.
  await page.getByRole('link', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-plan')).toContainText('routing plan v2');
  await expect(page.getByTestId('summary-sources')).toHaveText(/^4 \/ /);
  await expect(page.getByTestId('summary-outside')).toContainText(`${outside} pairs this plan does not route keep their human label`);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export zip' }).click();
  const files = unzip(readFileSync(await (await download).path()));
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as {
    merge: { counts: { bySource: { human: number }; humanOutsidePlan: number; annotations: { given: number; carried: number } } };
  };
  expect(manifest.merge.counts.bySource.human).toBe(4);
  expect(manifest.merge.counts.humanOutsidePlan).toBe(outside);
  // Labels made = records minus the copies carried into v2.
  expect(manifest.merge.counts.annotations.given - manifest.merge.counts.annotations.carried).toBe(4);
  expect(files.get('README.md')!.toString('utf8')).toContain('Annotations: 4 made');

  // Restricted to v2's own annotations, the difference is shown before exporting.
  await page.getByLabel('Annotations that count').selectOption({ label: 'Only those made under plan v2' });
  await expect(page.getByTestId('summary-other-plan')).toContainText('annotations made under other plans are not used');
  await expect(page.getByTestId('summary-sources')).toHaveText(new RegExp(`^${4 - outside} / `));

  // The lead picks v1 again for Annotate and Export.
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await page.getByRole('button', { name: 'Use plan v1 for Annotate and Export' }).click();
  await expect(page.getByTestId('current-plan')).toContainText('Plan v1 in use');
  await page.getByRole('link', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-plan')).toContainText('routing plan v1');
  await page.getByRole('link', { name: 'Annotate', exact: true }).click();
  await expect(page.getByTestId('queue-position')).toHaveText('Item 5 of 6');
});
