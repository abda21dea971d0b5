// WebGPU needs its own browser flags, hence its own file (launch options are per worker).
import { expect, test } from '@playwright/test';
import { demoWithFeatures, quadraticModel } from './fixtures/route';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
      '--enable-unsafe-webgpu',
    ],
  },
});

test('one PPM gives the same outputs on WASM and on WebGPU (within 1e-5)', async ({ page }) => {
  await demoWithFeatures(page);
  const hasAdapter = await page.evaluate(
    async () => !!(await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()),
  );
  test.skip(!hasAdapter, 'this Chromium exposes no WebGPU adapter, even with --enable-unsafe-webgpu');
  await page
    .getByLabel('Upload a PPM', { exact: true })
    .setInputFiles({ name: 'quadratic.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(quadraticModel()) });
  await expect(page.getByTestId('ppm-summary')).toContainText('quadratic');
  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Budget (pairs)').fill('10');
  const read = async () => {
    await expect(page.getByTestId('route-outcome')).toContainText('10 pairs to humans');
    const showAll = page.getByRole('button', { name: /^Show all/ });
    const showFewer = page.getByRole('button', { name: 'Show fewer' });
    await expect(showAll.or(showFewer)).toBeVisible();
    if (await showAll.isVisible()) await showAll.click();
    await expect(showFewer).toBeVisible();
    // By tag (rows are sorted by gain, and equal gains may come in either order).
    const gains = new Map(
      await page
        .getByRole('table', { name: 'Gain per tag' })
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map(
            (r) =>
              [r.querySelector('td')!.textContent!, Number(r.querySelector('td[data-value]')!.getAttribute('data-value'))] as [
                string,
                number,
              ],
          ),
        ),
    );
    return { predicted: Number(await page.getByTestId('predicted').getAttribute('data-value')), gains };
  };
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await expect(page.getByTestId('ppm-backend')).toHaveText('wasm');
  const wasm = await read();
  await page.getByLabel('Backend', { exact: true }).selectOption('webgpu');
  await expect(page.getByTestId('ppm-backend')).toHaveText('webgpu');
  const gpu = await read();
  expect(wasm.gains.size).toBeGreaterThan(50);
  expect([...gpu.gains.keys()].sort()).toEqual([...wasm.gains.keys()].sort());
  expect(Math.abs(gpu.predicted - wasm.predicted)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(wasm.predicted)));
  for (const [tag, g] of gpu.gains)
    expect(Math.abs(g - wasm.gains.get(tag)!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(wasm.gains.get(tag)!)));
});
