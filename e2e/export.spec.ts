import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { labelItems, storedAnnotations } from './fixtures/annotate';
import { unzip } from './fixtures/unzip';
import { chooseFile, createProject, hasShared, openApp, readJsonl, sharedPath } from './helpers';

interface PairsRow {
  id: string;
  prompt: string;
  response_a: string;
  response_b: string;
  pref_lm: string | null;
}

test.skip(!hasShared, '../shared/data is not present');

test('import -> features -> route -> annotate a few -> export TRL: labels follow the merge, the manifest counts match', async ({
  page,
}) => {
  const rows = readJsonl<PairsRow>(sharedPath('pairs/pandalm.jsonl'));
  await openApp(page);
  await createProject(page, 'PandaLM hybrid');
  await chooseFile(page, sharedPath('pairs/pandalm.jsonl'));
  await page.getByRole('button', { name: `Import ${rows.length} pairs` }).click();
  await expect(page.getByTestId('match-count')).toHaveText(`${rows.length} pairs`);
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByTestId('tag-status')).toContainText(`for ${rows.length} pairs`);
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await page.getByLabel('Strategy', { exact: true }).selectOption('topk');
  await page.getByLabel('Budget (pairs)').fill('5');
  await expect(page.getByTestId('route-outcome')).toContainText('5 pairs to humans');
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText('Human queue: 5 pairs');

  await page.getByRole('link', { name: 'Annotate', exact: true }).click();
  await page.getByLabel('Your name').fill('ana');
  await page.getByLabel('Your name').press('Enter');
  await labelItems(page, ['1', '5', '2']);
  await expect(page.getByTestId('queue-progress')).toContainText('3 submitted');
  const annotations = (await storedAnnotations(page)).filter((a) => a.status === 'submitted');
  expect(annotations).toHaveLength(3);

  await page.getByRole('link', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('merge-summary')).toBeVisible();
  await page.getByLabel('Export format').selectOption('trl');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export zip' }).click();
  const files = unzip(readFileSync(await (await download).path()));
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
  const dataName = [...files.keys()].find((n) => n.endsWith('.jsonl'))!;
  const trl = files
    .get(dataName)!
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { prompt: string; chosen: string; rejected: string });
  expect(files.get('README.md')!.toString('utf8')).toContain(String(trl.length));

  // Expected labels, computed here: human winner for annotated routed pairs, otherwise the LM label; ties dropped.
  const winner = (v: string | null) => (v === 'A-is-better' ? 'A' : v === 'B-is-better' ? 'B' : v === 'Tie' ? 'tie' : null);
  const human = new Map(annotations.map((a) => [a.idx, a.overall!.startsWith('A') ? 'A' : a.overall!.startsWith('B') ? 'B' : 'tie']));
  const expected: { idx: number; prompt: string; chosen: string; rejected: string }[] = [];
  // Pairs with an empty response or the same text twice carry no preference: the export leaves them out.
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)).replace(/\s+/g, ' ').trim();
  const degenerate = (r: PairsRow) => text(r.response_a) === '' || text(r.response_b) === '' || text(r.response_a) === text(r.response_b);
  rows.forEach((r, idx) => {
    if (degenerate(r)) return;
    const w = human.get(idx) ?? winner(r.pref_lm);
    if (w === 'A') expected.push({ idx, prompt: r.prompt, chosen: r.response_a, rejected: r.response_b });
    else if (w === 'B') expected.push({ idx, prompt: r.prompt, chosen: r.response_b, rejected: r.response_a });
  });
  expect(trl.length).toBe(expected.length);
  expect(trl.map((t) => [t.prompt, t.chosen, t.rejected])).toEqual(expected.map((t) => [t.prompt, t.chosen, t.rejected]));
  // The annotated pairs carry the human label (a human tie is dropped, even where the LM had a winner).
  for (const a of annotations) {
    const r = rows[a.idx]!;
    const k = expected.findIndex((e) => e.idx === a.idx);
    if (human.get(a.idx) === 'tie' || degenerate(r)) {
      expect(k).toBe(-1);
      continue;
    }
    expect(trl[k]!.chosen).toBe(human.get(a.idx) === 'A' ? r.response_a : r.response_b);
  }
  expect(manifest.export.rows).toBe(trl.length);
  expect(manifest.merge.counts.bySource.human).toBe(
    annotations.filter((a) => human.get(a.idx) !== 'tie' && !degenerate(rows[a.idx]!)).length,
  );
  expect(manifest.merge.counts.omitted.degenerate.empty + manifest.merge.counts.omitted.degenerate.identical).toBe(
    rows.filter(degenerate).length,
  );
  expect(manifest.merge.counts.routed).toBe(5);
  expect(manifest.routing.strategy).toBe('topk');
  expect(manifest.producedBy.app).toBe('hyper-workbench');
  await expect(page.getByTestId('export-rows')).toHaveText(String(trl.length));
});
