import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

interface DemoRow {
  prompt_hash: string;
  subject_of_expertise: string[];
  safety_concern: string;
  expertise_level: string;
  format_constraints: string[];
}
const demo = readFileSync(new URL('../src/demo/demo-pairs.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as DemoRow);

test("features of the demo dataset: computed in workers, coverage and one pair's tags", async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Demo project', exact: true }).click();
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await expect(page.getByTestId('tag-status')).toHaveText('Tags not computed yet for this dataset.');
  await page.getByLabel('Workers').fill('2');
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByTestId('tag-status')).toContainText(`for ${demo.length} pairs`);

  const coverage = page.getByRole('table', { name: 'Tag coverage' });
  await expect(coverage.getByRole('row')).toHaveCount(97); // a header, the 90 paper tags and the 6 judge features
  // The demo has descriptive tags and no encoder scores: the 9 semantic bins are unavailable, with a reason.
  await expect(page.getByText('(81 of 90 tags available)')).toBeVisible();
  await expect(coverage.getByRole('row', { name: /^cosine_sim 0\.0–0\.33/ })).toContainText('no encoder loaded');
  const safe = demo.filter((r) => r.safety_concern === 'safe').length;
  await expect(coverage.getByRole('row', { name: /^safety concern: safe / })).toContainText(String(safe));
  const physics = demo.filter((r) => r.subject_of_expertise.includes('Physics')).length;
  await expect(coverage.getByRole('row', { name: /^subject of expertise: Physics / })).toContainText(String(physics));
  // Every pair falls in exactly one bin of each computed score.
  for (const score of ['prompt_len', 'rouge', 'len_longer']) {
    let total = 0;
    for (const bin of ['0.0–0.33', '0.33–0.67', '0.67–1.0']) {
      total += Number(
        (
          await coverage
            .getByRole('row', { name: new RegExp(`^${score} ${bin} `) })
            .getByRole('cell')
            .nth(2)
            .textContent()
        )?.replace(/,/g, ''),
      );
    }
    expect(total).toBe(demo.length);
  }

  const tags = page.getByRole('list', { name: 'Tags of the pair' });
  for (const s of demo[0]!.subject_of_expertise) await expect(tags).toContainText(`subject of expertise: ${s}`);
  await expect(tags).toContainText(`expertise level: ${demo[0]!.expertise_level}`);
  await page.getByLabel('Pair number').fill('2');
  await expect(tags).toContainText(`safety concern: ${demo[1]!.safety_concern}`);

  // The feature set is stored: a reload shows it without recomputing.
  await page.reload();
  await expect(page.getByTestId('tag-status')).toContainText(`for ${demo.length} pairs`);

  // The pair's detail view on the Data page lists its tags under the paper's feature strings.
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByRole('link', { name: 'Demo pairs' }).click();
  await page.getByRole('row').filter({ hasText: demo[0]!.prompt_hash }).click();
  const pairTags = page.getByRole('list', { name: 'HyPER tags of this pair' });
  await expect(pairTags).toContainText(
    `analyzer_closed_set::feature_name=subject_of_expertise|constraints=${demo[0]!.subject_of_expertise[0]}`,
  );
  await expect(pairTags).toContainText('analyzer_closed_set::feature_name=languages|constraints=English');
});

test('semantic scores from an encoder loaded from disk (ONNX + tokenizer.json, run by onnxruntime-web)', async ({ page }) => {
  const { tinyEncoderModel, tinyTokenizerJson } = await import('./fixtures/tiny-encoder');
  const n = 10;
  const text = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ prompt: `question ${i}`, chosen: `good answer ${i}`, rejected: i % 2 ? `bad answer ${i}` : 'no' }),
  ).join('\n');
  await openApp(page);
  await page.getByLabel('New project name').fill('Encoder');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByLabel('Dataset file').setInputFiles({ name: 'e.jsonl', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: `Import ${n} pairs` }).click();
  // The import navigates to its dataset when stored; only then move on.
  await expect(page.getByTestId('match-count')).toHaveText(`${n} pairs`);
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  const coverage = page.getByRole('table', { name: 'Tag coverage' });
  await expect(coverage.getByRole('row', { name: /^cosine_sim 0\.0–0\.33/ })).toContainText('no encoder loaded');

  await page.getByText('Semantic scores from an encoder').click();
  await page
    .getByLabel('Encoder model (.onnx)')
    .setInputFiles({ name: 'tiny.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(tinyEncoderModel()) });
  await page
    .getByLabel('Encoder tokenizer (tokenizer.json)')
    .setInputFiles({ name: 'tokenizer.json', mimeType: 'application/json', buffer: Buffer.from(tinyTokenizerJson()) });
  await page.getByRole('button', { name: 'Compute semantic scores' }).click();
  await expect(page.getByTestId('encoder-summary')).toContainText(`Scored ${n} pairs`);
  await expect(page.getByText('(27 of 90 tags available)')).toBeVisible();
  await expect(page.getByText('source: encoder').first()).toBeVisible();
  // Positive embeddings: every cosine is in [0, 1], so every pair has exactly one cosine_sim bin.
  let total = 0;
  for (const bin of ['0.0–0.33', '0.33–0.67', '0.67–1.0']) {
    total += Number(
      await coverage
        .getByRole('row', { name: new RegExp(`^cosine_sim ${bin} `) })
        .getByRole('cell')
        .nth(2)
        .textContent(),
    );
  }
  expect(total).toBe(n);
});

test('a file that is not an ONNX model gets a clear message', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Demo project', exact: true }).click();
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByText('Semantic scores from an encoder').click();
  const { tinyTokenizerJson } = await import('./fixtures/tiny-encoder');
  await page
    .getByLabel('Encoder model (.onnx)')
    .setInputFiles({ name: 'not-a-model.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('hello, I am text') });
  await page
    .getByLabel('Encoder tokenizer (tokenizer.json)')
    .setInputFiles({ name: 'tokenizer.json', mimeType: 'application/json', buffer: Buffer.from(tinyTokenizerJson()) });
  await page.getByRole('button', { name: 'Compute semantic scores' }).click();
  await expect(page.getByRole('alert')).toContainText('not-a-model.onnx could not be loaded as an ONNX model');
});
