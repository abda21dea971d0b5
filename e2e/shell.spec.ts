import { expect, test } from '@playwright/test';
import { demoWithFeatures } from './fixtures/route';

test('another tab learns of a new plan, and a new project without a reload', async ({ page, context }) => {
  await demoWithFeatures(page);
  const projectUrl = page.url();
  // A second tab of the same browser on the project's Annotate page: no plan yet.
  const other = await context.newPage();
  await other.goto(projectUrl.replace(/\/route$/, '/annotate'));
  await expect(other.getByText('No routing plan is locked yet.')).toBeVisible();
  // The first tab locks a plan; the second shows the queue, not the stale "no plan".
  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Budget (pairs)').fill('5');
  await expect(page.getByTestId('route-outcome')).toContainText('5 pairs to humans');
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText('Human queue: 5 pairs');
  await expect(other.getByText('No routing plan is locked yet.')).toHaveCount(0);
  await expect(other.getByLabel('Your name').or(other.getByTestId('annotator-name'))).toBeVisible();
  // A project created in one tab is listed in the other's project list.
  await other.goto(new URL('/#/', projectUrl).href);
  await expect(other.getByRole('button', { name: 'Demo project', exact: true })).toBeVisible();
  await page.goto(new URL('/#/', projectUrl).href);
  await page.getByLabel('New project name').fill('Made in tab one');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name: 'Made in tab one', level: 1 })).toBeVisible();
  await expect(other.getByText('Made in tab one')).toBeVisible();
});

test('a page that fails to render says so and offers a way back; the other pages keep working', async ({ page }) => {
  await demoWithFeatures(page);
  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Budget (pairs)').fill('5');
  await expect(page.getByTestId('route-outcome')).toContainText('5 pairs to humans');
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText('Human queue: 5 pairs');
  // A stored plan that this version cannot read (as a damaged or foreign database would hold).
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('hyper-workbench');
        req.onsuccess = () => {
          const store = req.result.transaction('plans', 'readwrite').objectStore('plans');
          const all = store.getAll();
          all.onsuccess = () => {
            const plan = all.result[0] as Record<string, unknown>;
            const put = store.put({ ...plan, budget: null });
            put.onsuccess = () => resolve();
            put.onerror = () => reject(put.error);
          };
        };
      }),
  );
  await page.reload();
  const failed = page.getByTestId('area-error');
  await expect(failed).toContainText('Something went wrong on the Route page');
  // The header and the other pages still work.
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await expect(failed).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Workflow' })).toBeVisible();
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await expect(failed).toBeVisible();
  await failed.getByRole('link', { name: 'Back to the projects' }).click();
  await expect(page.getByRole('button', { name: 'Demo project', exact: true })).toBeVisible();
});
