import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Download, type Page } from '@playwright/test';
import { demoPlan, startAnnotating } from './fixtures/annotate';
import { openApp } from './helpers';

interface ResultAnnotation {
  idx: number;
  annotator: string;
  overall: string;
  status: string;
  projectId: string;
  planId: string;
}
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

test('annotation packs: two annotators with overlap in their own browsers, results back, agreement as computed by hand', async ({
  page,
  browser,
  baseURL,
}) => {
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
  const packs = await Promise.all(
    downloads.map(async (d) => ({
      path: (await d.path())!,
      pack: JSON.parse(readFileSync((await d.path())!, 'utf8')) as { annotator: string; items: { idx: number }[] },
    })),
  );
  const byName = new Map(packs.map((p) => [p.pack.annotator, p]));
  const shared = byName.get('ana')!.pack.items.filter((x) => byName.get('bo')!.pack.items.some((y) => y.idx === x.idx));
  expect(shared).toHaveLength(6);
  // No LM label travels in a pack.
  expect(readFileSync(byName.get('ana')!.path, 'utf8')).not.toContain('pref_gpt4');

  const results: string[] = [];
  for (const [name, keys] of [
    ['ana', ['1', '2', '4', '3', '5']],
    ['bo', ['2', '1', '5', '3', '4', '2']],
  ] as const) {
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
  await expect(page.getByTestId('import-results')).toContainText(
    `${parsed[1]!.annotations.length} added, 0 updated, 0 unchanged, 0 conflicts`,
  );
  // Idempotent: the same file again changes nothing.
  await page.getByLabel('Import annotation results').setInputFiles(results[0]!);
  await expect(page.getByTestId('import-results')).toContainText(
    `0 added, 0 updated, ${parsed[0]!.annotations.length} unchanged, 0 conflicts`,
  );

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
  await expect(
    page.getByText(
      `${parsed[0]!.annotations.length + parsed[1]!.annotations.length} submitted labels by 2 annotators; 6 pairs labelled by two or more.`,
    ),
  ).toBeVisible();
});

test('a tampered results file: each bad record is rejected with its line and reason, Review and Export keep working, and the lead can remove the import', async ({
  page,
}) => {
  await demoPlan(page, 4);
  await startAnnotating(page, 'lead');
  await page.getByRole('button', { name: 'Annotation packs…' }).click();
  await page.getByLabel('Pack annotators').fill('eve');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export packs' }).click();
  const pack = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as {
    projectId: string;
    planId: string;
    datasetId: string;
    items: { idx: number; instanceId: string }[];
  };
  const item = (k: number) => pack.items[k]!;
  const ann = (k: number, over: Record<string, unknown> = {}) => ({
    id: `${pack.planId}|${item(k).idx}|eve`,
    projectId: pack.projectId,
    datasetId: pack.datasetId,
    planId: pack.planId,
    idx: item(k).idx,
    instanceId: item(k).instanceId,
    annotator: 'eve',
    status: 'submitted',
    overall: 'A>B',
    confidence: 'fairly-confident',
    aspects: {},
    rationale: '',
    swapped: false,
    activeMs: 1,
    createdAt: 1,
    updatedAt: 2,
    rev: 1,
    origin: 'local',
    ...over,
  });
  const records = [
    ann(0),
    ann(1, { overall: 'X>>Y' }),
    ann(2, { confidence: 'very' }),
    { ...ann(3), idx: 99999, id: `${pack.planId}|99999|eve` },
    ann(3, { instanceId: 'not-this-pair' }),
    { ...ann(2), planId: 'plan-forged', id: `plan-forged|${item(2).idx}|eve` },
    ann(1, { overall: undefined }),
    ann(0),
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'hyper-tampered-')), 'eve.json');
  writeFileSync(
    file,
    `{"format": "hyper-annotations", "version": 1, "packId": "forged", "annotations": [\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`,
  );
  await page.getByLabel('Import annotation results').setInputFiles(file);
  await expect(page.getByTestId('import-results')).toContainText('1 added, 0 updated, 0 unchanged, 0 conflicts, 7 rejected');
  const rejected = page.getByRole('list', { name: 'Rejected records' });
  await expect(rejected).toContainText('Line 3: "overall" must be one of');
  await expect(rejected).toContainText('Line 4: "confidence" must be one of');
  await expect(rejected).toContainText('Line 5: item 99999 is not in the human queue');
  await expect(rejected).toContainText(`Line 6: item ${item(3).idx} is pair "${item(3).instanceId}" in this dataset, not "not-this-pair"`);
  await expect(rejected).toContainText('Line 7: plan "plan-forged" is not a plan of this project');
  await expect(rejected).toContainText('Line 8: a submitted annotation needs "overall"');
  await expect(rejected).toContainText('Line 9: annotation id');

  // Review and Export still work with the one good record in.
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  await expect(page.getByText('1 submitted labels by 1 annotators')).toBeVisible();
  await page.getByRole('link', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Export zip' })).toBeEnabled();
  await expect(page.getByTestId('summary-sources')).toHaveText(/^1 \//);

  // The lead removes eve's import; the export no longer has her label.
  await page.getByRole('link', { name: 'Annotate', exact: true }).click();
  await page.getByRole('button', { name: 'Annotation packs…' }).click();
  await expect(page.getByRole('list', { name: 'Imported results' })).toContainText('eve: 1 from pack forged');
  await page.getByRole('button', { name: "Remove eve's results from pack:forged" }).click();
  await page.getByRole('dialog', { name: 'Remove imported results?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('list', { name: 'Imported results' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('summary-sources')).toHaveText(/^0 \//);
});

test("bidi controls in a pack's project and annotator names stay inside the names", async ({ page }) => {
  const pack = {
    format: 'hyper-annotation-pack',
    version: 1,
    packId: 'pack-bidi',
    annotator: 'ana\u202e gnol',
    projectName: 'Evil\u202e tcejorp',
    projectId: 'p-x',
    planId: 'plan-x',
    datasetId: 'd-x',
    guidelines: '',
    createdAt: '2026-01-01T00:00:00.000Z',
    items: [{ idx: 0, instanceId: 'i0', prompt: 'Which is better?', responseA: 'One.', responseB: 'Two.' }],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'hyper-bidi-')), 'pack.json');
  writeFileSync(file, JSON.stringify(pack));
  await openApp(page);
  await page.getByLabel('Open annotation pack').setInputFiles(file);
  await expect(page.getByTestId('annotator-name')).toHaveText('ana gnol');
  // No override reaches the page's text, and the names sit in <bdi> isolates.
  const overrides = await page.evaluate(() => [...document.body.innerText].filter((c) => c >= '\u202a' && c <= '\u202e').length);
  expect(overrides).toBe(0);
  await expect(page.getByRole('heading', { level: 1 }).locator('bdi')).toHaveText(/^Evil tcejorp — pack for ana gnol$/);
  await expect(page.getByTestId('annotator-name').locator('bdi')).toHaveCount(1);
});
