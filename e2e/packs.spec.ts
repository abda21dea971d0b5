import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Download, type Page } from '@playwright/test';
import { demoPlan, startAnnotating } from './fixtures/annotate';
import { openApp } from './helpers';

interface ResultAnnotation { idx: number; annotator: string; overall: string; status: string; projectId: string; planId: string }
const winner = (p: string) => (p.startsWith('A') && p !== 'A=B' ? 'A' : p === 'A=B' ? 'tie' : 'B');

/** Cohen's kappa over winners, computed here by hand from the two annotators' exported results. */
function handKappa(a: Map<number, string>, b: Map<number, string>): { kappa: number; n: number } {
  const shared = [...a.keys()].filter((k) => b.has(k));
  const n = shared.length;
  const cats = ['A', 'tie', 'B'];
  const po = shared.filter((k) => a.get(k) === b.get(k)).length / n;
  const pa = (c: string) => shared.filter((k) => a.get(k) === c).length / n;
  const pb = (c: string) => shared.filter((k) => b.get(k) === c).length / n;
  const pe = cats.reduce((s, c) => s + pa(c) * pb(c), 0);
  return { kappa: (po - pe) / (1 - pe), n };
}

async function labelPack(page: Page, packPath: string, name: string, keys: string[]): Promise<Download> {
  await openApp(page);
  await page.getByLabel('Open annotation pack').setInputFiles(packPath);
  await expect(page.getByTestId('annotator-name')).toHaveText(name);
  await expect(page.getByTestId('queue-position')).toHaveText(/^Item 1 of [1-9]\d*$/);
  const total = Number((await page.getByTestId('queue-position').textContent())!.match(/of (\d+)/)![1]);
  for (let i = 0; i < total; i++) {
    await page.keyboard.press(keys[i % keys.length]!);
    await page.keyboard.press('w');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('queue-progress')).toContainText(`${total} submitted`);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export my results' }).click();
  return download;
}

test('annotation packs: two annotators with overlap in their own browsers, results back, agreement as computed by hand', async ({ page, browser, baseURL }) => {
  await demoPlan(page, 10);
  await startAnnotating(page, 'lead');
  await page.getByRole('button', { name: 'Annotation packs…' }).click();
  await page.getByLabel('Pack annotators').fill('ana, bo');
  await page.getByLabel('Overlap percent').fill('60');
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByRole('button', { name: 'Export packs' }).click();
  await expect(page.getByTestId('packs-made')).toContainText('ana:');
  await expect.poll(() => downloads.length).toBe(2);
  const packs = await Promise.all(downloads.map(async (d) => ({ path: (await d.path())!, pack: JSON.parse(readFileSync((await d.path())!, 'utf8')) as { annotator: string; items: { idx: number }[] } })));
  const byName = new Map(packs.map((p) => [p.pack.annotator, p]));
  const shared = byName.get('ana')!.pack.items.filter((x) => byName.get('bo')!.pack.items.some((y) => y.idx === x.idx));
  expect(shared).toHaveLength(6);
  // No LM label travels in a pack.
  expect(readFileSync(byName.get('ana')!.path, 'utf8')).not.toContain('pref_gpt4');

  const results: string[] = [];
  for (const [name, keys] of [['ana', ['1', '2', '4', '3', '5']], ['bo', ['2', '1', '5', '3', '4', '2']]] as const) {
    const context = await browser.newContext({ baseURL: baseURL! });
    const p = await context.newPage();
    const d = await labelPack(p, byName.get(name)!.path, name, [...keys]);
    // Downloads vanish with their context: keep a copy.
    const file = join(mkdtempSync(join(tmpdir(), 'hyper-results-')), `${name}.json`);
    await d.saveAs(file);
    results.push(file);
    // Opening the same pack again opens the same project (nothing duplicated).
    await p.goto('/');
    await p.getByLabel('Open annotation pack').setInputFiles(byName.get(name)!.path);
    await expect(p.getByTestId('queue-progress')).toContainText('submitted');
    await context.close();
  }

  const parsed = results.map((r) => JSON.parse(readFileSync(r, 'utf8')) as { annotations: ResultAnnotation[] });
  const winners = parsed.map((r) => new Map(r.annotations.map((a) => [a.idx, winner(a.overall)])));
  expect(parsed.every((r) => r.annotations.every((a) => a.status === 'submitted'))).toBe(true);

  for (const r of results) await page.getByLabel('Import annotation results').setInputFiles(r);
  await expect(page.getByTestId('import-results')).toContainText(`${parsed[1]!.annotations.length} added, 0 updated, 0 unchanged, 0 conflicts`);
  // Idempotent: the same file again changes nothing.
  await page.getByLabel('Import annotation results').setInputFiles(results[0]!);
  await expect(page.getByTestId('import-results')).toContainText(`0 added, 0 updated, ${parsed[0]!.annotations.length} unchanged, 0 conflicts`);

  await page.getByRole('link', { name: 'Review', exact: true }).click();
  // All of them as one file for `hyper merge --annotations`.
  const all = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download all annotations (JSON)' }).click();
  const file = JSON.parse(readFileSync(await (await all).path(), 'utf8')) as { format: string; annotations: ResultAnnotation[] };
  expect(file.format).toBe('hyper-annotations');
  expect(file.annotations).toHaveLength(parsed[0]!.annotations.length + parsed[1]!.annotations.length);
  const hand = handKappa(winners[0]!, winners[1]!);
  expect(hand.n).toBe(6);
  const shown = await page.getByTestId('kappa-ana-bo').getAttribute('data-value');
  expect(Number(shown)).toBeCloseTo(hand.kappa, 10);
  await expect(page.getByText(`${parsed[0]!.annotations.length + parsed[1]!.annotations.length} submitted labels by 2 annotators; 6 pairs labelled by two or more.`)).toBeVisible();
});
