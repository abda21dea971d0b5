import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { chooseFile, countStoredInstances, createProject, hasShared, LABEL_TEXT, openApp, readJsonl, sharedPath } from './helpers';

interface PairsRow {
  id: string;
  prompt: string;
  response_a: string;
  response_b: string;
  pref_human: string | null;
  pref_lm: string | null;
  human_votes: string[];
}

const tmp = mkdtempSync(join(tmpdir(), 'hyper-e2e-'));

async function openPair(page: Page, id: string) {
  await page.getByLabel('Search pairs').fill(id);
  const row = page.getByRole('row').filter({ has: page.getByTestId('cell-id').getByText(id, { exact: true }) });
  await expect(page.getByTestId('match-count')).toContainText('matching pairs');
  await row.click();
  await expect(page.getByRole('complementary', { name: 'Pair detail' })).toContainText(id);
}

test.describe('importing real data', () => {
  test.skip(!hasShared, 'needs ../shared/data beside the checkout');

  test('PRD Vicuna80 pairs are recognised automatically and survive a reload', async ({ page }) => {
    const rows = readJsonl<PairsRow>(sharedPath('pairs/prd_vicuna80.jsonl'));
    await openApp(page);
    await createProject(page, 'PRD');
    await chooseFile(page, sharedPath('pairs/prd_vicuna80.jsonl'));
    await expect(page.getByLabel('Layout')).toHaveValue('pairs');
    await expect(page.getByTestId('rows-read')).toHaveText(rows.length.toLocaleString('en-US'));
    await expect(page.getByTestId('rows-importable')).toHaveText(rows.length.toLocaleString('en-US'));
    await expect(page.getByTestId('rows-rejected')).toHaveText('0');
    await expect(page.getByTestId('with-lm')).toHaveText(String(rows.filter((r) => r.pref_lm !== null).length));
    await page.getByRole('button', { name: `Import ${rows.length} pairs` }).click();
    await expect(page.getByTestId('match-count')).toHaveText(`${rows.length} pairs`);

    // Several labels checked against the file (first, last, and ones with each label value).
    const picks = [
      rows[0]!,
      rows[rows.length - 1]!,
      rows.find((r) => r.pref_human === 'Tie')!,
      rows.find((r) => r.pref_lm === 'B-is-better')!,
    ];
    for (const r of picks) {
      await openPair(page, r.id);
      await expect(page.getByTestId('detail-human')).toHaveText(LABEL_TEXT[r.pref_human!]!);
      await expect(page.getByTestId('detail-lm')).toContainText(LABEL_TEXT[r.pref_lm!]!);
      await expect(page.getByTestId('detail-prompt')).toHaveText(r.prompt);
    }

    await page.reload();
    await expect(page.getByTestId('match-count')).toContainText('pairs');
    await page.getByRole('link', { name: '← Datasets' }).click();
    await expect(page.getByRole('row').filter({ hasText: 'prd_vicuna80' }).getByTestId('dataset-row-count')).toHaveText('800');
  });

  test('the raw PandaLM test set imports through the column mapping', async ({ page }) => {
    const raw = JSON.parse(readFileSync(sharedPath('raw/pandalm-testset-v1.json'), 'utf8')) as Array<Record<string, unknown>>;
    await openApp(page);
    await createProject(page, 'PandaLM');
    await chooseFile(page, sharedPath('raw/pandalm-testset-v1.json'));
    await expect(page.getByText("This file's columns match no known layout")).toBeVisible();
    const mapping = page.getByRole('region', { name: 'Column mapping' });
    const promptBox = (c: string) => mapping.getByLabel(`Prompt columns (joined with a blank line): ${c}`, { exact: true });
    const humanBox = (c: string) => mapping.getByLabel(`Human label columns (one vote each): ${c}`, { exact: true });
    await promptBox('instruction').check();
    await promptBox('input').check();
    await mapping.getByLabel('Response A column').selectOption('response1');
    await mapping.getByLabel('Response B column').selectOption('response2');
    await mapping.getByLabel('Id column').selectOption('idx');
    await mapping.getByLabel('Model A column').selectOption('');
    for (const c of ['annotator1', 'annotator2', 'annotator3']) await humanBox(c).check();
    // 0/1/2 fits two numeric readings: the app must ask.
    const code = mapping.getByLabel('Human label values: numeric code');
    await expect(code).toHaveValue('');
    await code.selectOption('first-second-tie-120');
    await expect(page.getByTestId('rows-read')).toHaveText('999');
    await expect(page.getByTestId('rows-importable')).toHaveText('999');
    await expect(page.getByTestId('with-human')).toHaveText('999');
    const nonText = raw.filter((r) => typeof r.response1 !== 'string' || typeof r.response2 !== 'string').length;
    expect(nonText).toBeGreaterThan(0);
    await page.getByText(/^Warnings \(/).click();
    await expect(page.getByRole('table', { name: 'Warnings' })).toContainText('boolean');
    await page.getByRole('button', { name: 'Import 999 pairs' }).click();
    await expect(page.getByTestId('match-count')).toHaveText('999 pairs');

    // The human label is the majority of the three annotators (1 = A, 2 = B, 0 = tie; no majority = tie).
    const majority = (r: Record<string, unknown>) => {
      const votes = [r.annotator1, r.annotator2, r.annotator3];
      const a = votes.filter((v) => v === 1).length;
      const b = votes.filter((v) => v === 2).length;
      const t = votes.filter((v) => v === 0).length;
      return a > b && a > t ? 'A better' : b > a && b > t ? 'B better' : 'Tie';
    };
    for (const i of [0, 7, 157, 500, 998]) {
      const r = raw[i]!;
      await openPair(page, String(r.idx));
      await expect(page.getByTestId('detail-human')).toHaveText(majority(r));
      await expect(page.getByTestId('detail-prompt')).toHaveText(
        [r.instruction, r.input].filter((s) => typeof s === 'string' && s.trim()).join('\n\n'),
      );
    }
  });
});

test.describe('validation before storing', () => {
  test.skip(!hasShared, 'needs ../shared/data beside the checkout');

  test('broken lines are reported with their line numbers and the rest is imported only when asked', async ({ page }) => {
    const lines = readFileSync(sharedPath('pairs/pandalm.jsonl'), 'utf8').split('\n').slice(0, 30);
    lines[4] = '{"id": "broken", "prompt": ';
    lines[16] = 'this is not JSON';
    const noB = JSON.parse(lines[22]!) as Record<string, unknown>;
    delete noB.response_b;
    lines[22] = JSON.stringify(noB);
    lines[25] = lines[1]!; // duplicate id of line 2
    const file = join(tmp, 'broken-pairs.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);

    await openApp(page);
    await createProject(page, 'Broken');
    const before = await countStoredInstances(page);
    await chooseFile(page, file);
    await expect(page.getByTestId('rows-importable')).toHaveText('26');
    await expect(page.getByTestId('rows-rejected')).toHaveText('4');
    const rejected = page.getByRole('table', { name: 'Rejected rows' }).getByRole('row');
    await expect(rejected).toHaveCount(5);
    await expect(rejected.nth(1)).toContainText(/^5\s*invalid JSON/);
    await expect(rejected.nth(2)).toContainText(/^17\s*invalid JSON/);
    await expect(rejected.nth(3)).toContainText(/^23.*response B/);
    await expect(rejected.nth(4)).toContainText(/^26.*duplicate id/);

    // Nothing is stored until the user says so; discarding stores nothing.
    expect(await countStoredInstances(page)).toBe(before);
    await page.getByRole('button', { name: 'Discard file' }).click();
    await expect(page.getByText('No datasets yet')).toBeVisible();
    expect(await countStoredInstances(page)).toBe(before);

    await chooseFile(page, file);
    await page.getByRole('button', { name: 'Import 26 pairs' }).click();
    await expect(page.getByTestId('match-count')).toHaveText('26 pairs');
    expect(await countStoredInstances(page)).toBe(before + 26);
  });

  test('a cancelled import leaves stored data untouched', async ({ page }) => {
    const rows = readJsonl<PairsRow>(sharedPath('pairs/pandalm.jsonl'));
    const out: string[] = [];
    for (let i = 0; i < 30_000; i++) out.push(JSON.stringify({ ...rows[i % rows.length]!, id: `big-${i}` }));
    const file = join(tmp, 'big-pairs.jsonl');
    writeFileSync(file, `${out.join('\n')}\n`);

    await openApp(page);
    await createProject(page, 'Cancel');
    const before = await countStoredInstances(page);
    await chooseFile(page, file);
    await page.getByRole('button', { name: 'Import 30,000 pairs' }).click();
    await expect(page.getByRole('progressbar', { name: 'Storing rows' })).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('button', { name: 'Import 30,000 pairs' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(await countStoredInstances(page)).toBe(before);
    await page.getByRole('button', { name: 'Discard file' }).click();
    await expect(page.getByText('No datasets yet')).toBeVisible();
  });
});

test('a file that is not what its name says gets a clear message', async ({ page }) => {
  const file = join(tmp, 'pairs.parquet');
  writeFileSync(file, '{"prompt": "hi", "chosen": "a", "rejected": "b"}\n');
  await openApp(page);
  await createProject(page, 'Wrong name');
  await chooseFile(page, file);
  await expect(page.getByRole('alert')).toContainText('pairs.parquet');
  await expect(page.getByRole('alert')).toContainText(/not a Parquet file/i);
  await expect(page.getByRole('button', { name: 'Choose file…' })).toBeVisible();
});

test('a file dropped on the page is read (TRL layout, chosen side hidden by a seeded coin)', async ({ page }) => {
  const rows = Array.from({ length: 12 }, (_, i) => ({
    prompt: `Question ${i}?`,
    chosen: `Good answer ${i}`,
    rejected: `Bad answer ${i}`,
  }));
  const text = rows.map((r) => JSON.stringify(r)).join('\n');
  await openApp(page);
  await createProject(page, 'Dropped');
  const dataTransfer = await page.evaluateHandle((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'trl.jsonl', { type: 'application/json' }));
    return dt;
  }, text);
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByLabel('Layout')).toHaveValue('trl-string');
  await expect(page.getByLabel('Chosen/rejected labels come from')).toHaveValue('lm');
  await expect(page.getByTestId('rows-importable')).toHaveText('12');
  await page.getByRole('button', { name: 'Import 12 pairs' }).click();
  await expect(page.getByTestId('match-count')).toHaveText('12 pairs');
  // The chosen answer sits on A for some rows and on B for others.
  await page.getByLabel('LM label').selectOption('A');
  await expect(page.getByTestId('match-count')).toContainText('matching');
  const aCount = Number((await page.getByTestId('match-count').textContent())?.match(/\d+/)?.[0]);
  expect(aCount).toBeGreaterThan(0);
  expect(aCount).toBeLessThan(12);
});

test('leaving the Data page while an import is stored: the import finishes, and the page the lead went to stays', async ({ page }) => {
  const n = 5000;
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ prompt: `Question number ${i} about topic ${i % 97}?`, chosen: `A careful answer ${i}.`, rejected: `No idea ${i}.` }),
  );
  const path = join(mkdtempSync(join(tmpdir(), 'hyper-leave-')), 'many.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  await openApp(page);
  await createProject(page, 'Leave mid-import');
  const before = await countStoredInstances(page);
  await chooseFile(page, path);
  await page.getByRole('button', { name: `Import ${n.toLocaleString('en-US')} pairs` }).click();
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  // The Tags page learns of the dataset when it is stored, and is not swapped for the Data page.
  await expect(page.getByRole('button', { name: 'Compute tags' })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('option', { hasText: `many (${n.toLocaleString('en-US')} pairs)` })).toHaveCount(1);
  await page.waitForTimeout(500);
  expect(new URL(page.url()).hash).toMatch(/\/tags$/);
  expect(await countStoredInstances(page)).toBe(before + n);
});
