// Files that are broken as a whole: the report says what is wrong and where, never "no known layout" or an
// engine error, and text is never changed without a word.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chooseFile, createProject, openApp } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'hyper-import-errors-'));

test('a Latin-1 CSV is read as Windows-1252 with a note; an unclosed quote and a broken 50 MB JSON line show their syntax errors and lines', async ({
  page,
}) => {
  await openApp(page);
  await createProject(page, 'Broken files');

  const latin1 = join(tmp, 'cafe.csv');
  writeFileSync(
    latin1,
    Buffer.concat([Buffer.from('prompt,response_a,response_b\nq1,ok,fine\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait,yes,no\n')]),
  );
  await chooseFile(page, latin1);
  await expect(page.getByTestId('import-note')).toContainText('cafe.csv is not UTF-8 text');
  await expect(page.getByTestId('import-note')).toContainText('line 3');
  await expect(page.getByTestId('import-note')).toContainText('read as Windows-1252');
  await page.getByRole('button', { name: 'Import 2 pairs' }).click();
  await expect(page.getByTestId('match-count')).toHaveText('2 pairs');
  await expect(page.getByRole('grid', { name: 'Pairs' }).getByRole('gridcell', { name: 'Café au lait' })).toBeVisible();
  await page.getByRole('link', { name: '← Datasets' }).click();

  const unclosed = join(tmp, 'unclosed.csv');
  writeFileSync(unclosed, 'prompt,response_a,response_b\n"oops,a,b\nq2,a2,b2\n');
  await chooseFile(page, unclosed);
  await expect(page.getByTestId('unreadable')).toContainText('No row of unclosed.csv could be read');
  await expect(page.getByTestId('unreadable')).toContainText(
    'Line 2: unterminated quoted field: the quote opened on line 2 is never closed',
  );
  await expect(page.getByText('match no known layout')).toHaveCount(0);
  await page.getByRole('button', { name: 'Discard file' }).click();

  const broken = join(tmp, 'broken.jsonl');
  writeFileSync(broken, `{"prompt": "${'x'.repeat(50_000_000)}", oops}\n`);
  await chooseFile(page, broken);
  await expect(page.getByTestId('unreadable')).toContainText('Line 1: invalid JSON', { timeout: 60_000 });
  await expect(page.getByText('match no known layout')).toHaveCount(0);
});

test('a 50 MB response without spaces imports and gets its features', async ({ page }) => {
  const path = join(tmp, 'long.jsonl');
  const rows = [
    { id: 'long', prompt: 'Encode this.', response_a: 'QUJD'.repeat(12_500_000), response_b: 'Done.', pref_lm: 'B' },
    { id: 'short', prompt: 'Say hi.', response_a: 'Hi Paris.', response_b: 'Hello London.', pref_lm: 'A' },
  ];
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n'));
  await openApp(page);
  await createProject(page, 'Long');
  await chooseFile(page, path);
  await page.getByRole('button', { name: 'Import 2 pairs' }).click({ timeout: 60_000 });
  await expect(page.getByTestId('match-count')).toHaveText('2 pairs', { timeout: 60_000 });
  // Its detail opens clipped (the renderer once froze on 200k characters and crashed on 50 MB), and the page stays usable.
  await page.getByRole('row').filter({ hasText: 'long' }).first().click();
  const detail = page.getByRole('complementary', { name: 'Pair detail' });
  await expect(detail.getByTestId('clipped-note')).toContainText('This response is 50,000,000 characters long; the first 2,000 are shown.');
  await detail.getByRole('button', { name: 'Show the first 1,000,000' }).click();
  await expect(detail.getByTestId('clipped-note')).toContainText('the first 1,000,000 are shown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('detail-a')).toHaveText('Hi Paris.');
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByTestId('tag-status')).toContainText('for 2 pairs', { timeout: 120_000 });
});
