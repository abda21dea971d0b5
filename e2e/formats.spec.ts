import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { chooseFile, createProject, openApp } from './helpers';

// Small files made here, so these run without ../shared: they prove the browser path (worker, gunzip,
// Parquet decoding, CSV) end to end; the readers themselves are unit-tested in src/domain/formats.
const tmp = mkdtempSync(join(tmpdir(), 'hyper-formats-'));
const rows = Array.from({ length: 25 }, (_, i) => ({
  id: `q${i}`,
  prompt: `Explain topic ${i} briefly.`,
  response_a: `Short answer ${i}.`,
  response_b: `A longer answer about topic ${i}, with detail.`,
  pref_lm: i % 3 === 0 ? 'A' : i % 3 === 1 ? 'B' : 'tie',
}));

test('gzip-compressed CSV and Parquet files import through the worker', async ({ page }) => {
  const csv = [
    'id,prompt,response_a,response_b,pref_lm',
    ...rows.map((r) => [r.id, `"${r.prompt}"`, `"${r.response_a}"`, `"${r.response_b}"`, r.pref_lm].join(',')),
  ].join('\n');
  const gzPath = join(tmp, 'pairs.csv.gz');
  writeFileSync(gzPath, gzipSync(csv));
  const parquetPath = join(tmp, 'pairs.parquet');
  writeFileSync(
    parquetPath,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: (['id', 'prompt', 'response_a', 'response_b', 'pref_lm'] as const).map((name) => ({
          name,
          data: rows.map((r) => r[name]),
          type: 'STRING' as const,
        })),
      }),
    ),
  );

  await openApp(page);
  await createProject(page, 'Formats');
  for (const [path, label] of [
    [gzPath, 'CSV (gzip)'],
    [parquetPath, 'PARQUET'],
  ] as const) {
    await chooseFile(page, path);
    await expect(page.getByText(label, { exact: false }).first()).toBeVisible();
    await expect(page.getByTestId('rows-importable')).toHaveText('25');
    await expect(page.getByTestId('with-lm')).toHaveText('25');
    await page.getByRole('button', { name: 'Import 25 pairs' }).click();
    await expect(page.getByTestId('match-count')).toHaveText('25 pairs');
    await page.getByLabel('LM label').selectOption('tie');
    await expect(page.getByTestId('match-count')).toHaveText(`${rows.filter((r) => r.pref_lm === 'tie').length} matching pairs`);
    await page.getByRole('link', { name: '← Datasets' }).click();
  }
  await expect(page.getByRole('table', { name: 'Datasets' }).getByTestId('dataset-row-count')).toHaveText(['25', '25']);
});

test('a multi-member gzip file (cat a.gz b.gz) imports whole in the browser', async ({ page }) => {
  const jsonl = (xs: typeof rows) => `${xs.map((r) => JSON.stringify(r)).join('\n')}\n`;
  const path = join(tmp, 'two-members.jsonl.gz');
  writeFileSync(path, Buffer.concat([gzipSync(jsonl(rows.slice(0, 10))), gzipSync(jsonl(rows.slice(10)))]));
  await openApp(page);
  await createProject(page, 'Members');
  await chooseFile(page, path);
  await expect(page.getByTestId('rows-importable')).toHaveText('25');
  await page.getByRole('button', { name: 'Import 25 pairs' }).click();
  await expect(page.getByTestId('match-count')).toHaveText('25 pairs');
});
