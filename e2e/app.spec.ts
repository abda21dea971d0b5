import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createProject, openApp } from './helpers';

interface DemoRow {
  prompt_hash: string;
  text: string;
  completion_a: string;
  completion_b: string;
  model_a: string;
  model_b: string;
  pref_gpt4: string;
  pref_human: string | null;
}
const demo = readFileSync(new URL('../src/demo/demo-pairs.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as DemoRow);

test('the demo project is there on first start, marked as demo data', async ({ page }) => {
  await openApp(page);
  const item = page.getByRole('listitem').filter({ hasText: 'Demo project' });
  await expect(item.getByText('Demo data')).toBeVisible();
  await item.getByRole('button', { name: 'Demo project', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Workflow' }).getByRole('link')).toHaveText([
    'Data',
    'Tags',
    'Route',
    'Annotate',
    'Team',
    'Review',
    'Export',
    'PPM lab',
  ]);
  await expect(page.getByTestId('dataset-row-count')).toHaveText(String(demo.length));
  await page.getByRole('link', { name: 'Demo pairs' }).click();
  await expect(page.getByTestId('match-count')).toHaveText(`${demo.length} pairs`);

  // The first pair's detail shows the file's text and labels.
  await page.getByRole('row').filter({ hasText: demo[0]!.prompt_hash }).click();
  await expect(page.getByTestId('detail-prompt')).toHaveText(demo[0]!.text);
  await expect(page.getByTestId('detail-a')).toHaveText(demo[0]!.completion_a);
  const scale: Record<string, string> = {
    'A-is-clearly-better': 'A much better',
    'A-is-slightly-better': 'A better',
    Tie: 'Tie',
    'B-is-slightly-better': 'B better',
    'B-is-clearly-better': 'B much better',
  };
  await expect(page.getByTestId('detail-lm')).toContainText(scale[demo[0]!.pref_gpt4]!);
  // Keyboard: next / previous pair, Escape closes.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('detail-prompt')).toHaveText(demo[1]!.text);
  await page.keyboard.press('k');
  await expect(page.getByTestId('detail-prompt')).toHaveText(demo[0]!.text);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('complementary', { name: 'Pair detail' })).toHaveCount(0);

  // Search and filters agree with a count made from the file.
  const needle = 'python';
  const expected = demo.filter((r) =>
    [r.prompt_hash, r.text, r.completion_a, r.completion_b, r.model_a, r.model_b].join('\u0000').toLowerCase().includes(needle),
  ).length;
  await page.getByLabel('Search pairs').fill(needle);
  await expect(page.getByTestId('match-count')).toHaveText(`${expected} matching pairs`);
  await page.getByLabel('Search pairs').fill('');
  await page.getByLabel('LM label').selectOption('B');
  const bRows = demo.filter((r) => r.pref_gpt4.startsWith('B-'));
  await expect(page.getByTestId('match-count')).toHaveText(`${bRows.length} matching pairs`);
  // Stepping through a filtered list visits only the matches.
  await page.getByRole('row').filter({ hasText: bRows[0]!.prompt_hash }).click();
  await page.keyboard.press('j');
  await expect(page.getByTestId('detail-prompt')).toHaveText(bRows[1]!.text);
  await page.keyboard.press('Escape');
  await page.getByLabel('Human label').selectOption('missing');
  const bWinsNoHuman = demo.filter((r) => r.pref_gpt4.startsWith('B-') && r.pref_human === null).length;
  await expect(page.getByTestId('match-count')).toHaveText(`${bWinsNoHuman} matching pairs`);

  // Review before anyone has labelled says so.
  await page.getByRole('link', { name: 'Review' }).click();
  await expect(page.getByText('No submitted annotations yet.')).toBeVisible();
});

test('projects can be created, renamed and deleted, and survive a reload', async ({ page }) => {
  await openApp(page);
  await createProject(page, 'Safety study');
  await page.getByRole('link', { name: 'HyPER Workbench' }).click();
  await page.getByRole('button', { name: 'Rename Safety study' }).click();
  await page.getByLabel('Project name', { exact: true }).fill('Safety study v2');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: 'Safety study v2', exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('button', { name: 'Safety study v2', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Demo project', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Delete Safety study v2' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete project?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Safety study v2', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Delete Safety study v2' }).click();
  await dialog.getByRole('button', { name: 'Delete project' }).click();
  await expect(page.getByRole('button', { name: 'Safety study v2', exact: true })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Demo project', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Safety study v2', exact: true })).toHaveCount(0);
});
