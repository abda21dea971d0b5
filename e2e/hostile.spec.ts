import { expect, test } from '@playwright/test';
import { createProject, openApp } from './helpers';
import { startAnnotating } from './fixtures/annotate';

// Untrusted text as prompts and responses: nothing may execute, load from elsewhere or navigate away.
const PAYLOADS = [
  '<script>window.__pwned = "script"; alert("script")</script>',
  '<img src="http://203.0.113.9/x.png" onerror="window.__pwned=\'img\';alert(1)">',
  "[click me](javascript:window.__pwned='link';alert(1)) and [data](data:text/html,<script>alert(1)</script>)",
  '![remote](https://203.0.113.9/tracker.gif) and ![proto-relative](//203.0.113.9/t.gif)',
  '<svg onload="window.__pwned=\'svg\';alert(1)"><circle r="10"/></svg>',
  '<iframe src="https://203.0.113.9/"></iframe><object data="https://203.0.113.9/x"></object>',
  '<style>body{display:none!important} *{background:url(https://203.0.113.9/css.png)}</style><div style="position:fixed;inset:0;background:red">overlay</div>',
  `<a href="https://203.0.113.9/" target="_top">navigate</a> <form action="https://203.0.113.9/"><button>go</button></form> ${'A'.repeat(200_000)}`,
  '```html\n<script>alert("in code")</script>\n```\n<meta http-equiv="refresh" content="0;url=https://203.0.113.9/">',
];

test('hostile prompts and responses: nothing executes, no request leaves localhost, the page stays usable', async ({ page }) => {
  const outside: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) outside.push(r.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const rows = PAYLOADS.map((p, i) => ({
    id: `evil-${i}`,
    prompt: `Question ${i}: ${p}`,
    response_a: `Left ${i}: ${PAYLOADS[(i + 1) % PAYLOADS.length]}`,
    response_b: `Right ${i}: ${p}`,
    pref_lm: i % 2 ? 'A-is-better' : 'B-is-better',
  }));
  await openApp(page);
  await createProject(page, 'Hostile');
  await page.getByLabel('Dataset file').setInputFiles({
    name: 'hostile.jsonl',
    mimeType: 'application/json',
    buffer: Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')),
  });
  await page.getByRole('button', { name: `Import ${rows.length} pairs` }).click();
  // The import navigates to its dataset when stored; only then move on.
  await expect(page.getByTestId('match-count')).toHaveText(`${rows.length} pairs`);
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByTestId('tag-status')).toContainText(`for ${rows.length} pairs`);
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Budget (pairs)').fill(String(rows.length));
  await expect(page.getByTestId('route-outcome')).toContainText(`${rows.length} pairs to humans`);
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await startAnnotating(page, 'sec');
  // Hostile guidelines too.
  await page.keyboard.press('g');
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Guidelines (Markdown)').fill(PAYLOADS.slice(0, 7).join('\n\n'));
  await page.getByRole('button', { name: 'Save guidelines' }).click();
  await expect(page.getByTestId('guidelines')).toContainText('<script>');
  for (let i = 0; i < rows.length; i++) {
    await expect(page.getByTestId('queue-position')).toHaveText(`Item ${i + 1} of ${rows.length}`);
    await expect(page.getByRole('region', { name: 'Prompt' })).toContainText(`Question`);
    await page.keyboard.press('d');
    await expect(page.getByRole('region', { name: 'Differences between the responses' })).toBeVisible();
    await page.keyboard.press('d');
    await page.keyboard.press('3');
    await page.keyboard.press('e');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('queue-progress')).toContainText(`${rows.length} submitted`);
  // Raw markup shows as text; nothing became an element.
  // Go back to an item with markup, then check what the untrusted text became.
  await page.getByLabel('Jump to item').fill('1');
  await page.getByLabel('Jump to item').press('Enter');
  await expect(page.getByRole('region', { name: 'Prompt' })).toContainText('Question');
  const untrusted =
    ':is(section[aria-label="Prompt"], section[aria-label="Left response"], section[aria-label="Right response"], aside[aria-label="Guidelines"])';
  expect(
    await page.locator(`${untrusted} :is(script, iframe, object, embed, svg, img, form, meta, style, link, button[form])`).count(),
  ).toBe(0);
  expect(await page.locator(`${untrusted} [onerror], ${untrusted} [onload], ${untrusted} [style]`).count()).toBe(0);
  expect(await page.locator('main a[href^="javascript:"], main a[href^="data:"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
  expect(new URL(page.url()).hostname).toBe('127.0.0.1');
  // The page is still laid out: the workflow navigation is visible and clickable.
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page
    .getByRole('link', { name: /hostile/ })
    .first()
    .click();
  await expect(page.getByTestId('match-count')).toContainText(`${rows.length} pairs`);
});
