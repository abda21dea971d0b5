import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelItems, startAnnotating } from './fixtures/annotate';
import { readBody, startChatEndpoint } from './fixtures/chat-endpoint';
import { chooseFile, createProject, openApp } from './helpers';

// A local OpenAI-compatible judge: the longer answer wins, except on one prompt in five where it always says "A"
// (position bias: its verdict flips with the order). It can be slowed down to interrupt a run.
let endpoint: Awaited<ReturnType<typeof startChatEndpoint>>;
let base = '';
const seen: string[] = [];
/** The Authorization header of every request. */
const auth = new Set<string | undefined>();
let delayMs = 0;
const bucket = (text: string, mod: number) => createHash('sha256').update(text).digest()[0]! % mod;

test.beforeAll(async () => {
  endpoint = await startChatEndpoint(async (req, res) => {
    const payload = JSON.parse(await readBody(req)) as { model: string; messages: { role: string; content: string }[] };
    const user = payload.messages.find((m) => m.role === 'user')!.content;
    seen.push(user);
    auth.add(req.headers.authorization);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const prompt = /\[User request\]\n([\s\S]*?)\n\n\[Answer A\]/.exec(user)![1]!;
    const a = /\[Answer A\]\n([\s\S]*?)\n\[End of answer A\]/.exec(user)![1]!;
    const b = /\[Answer B\]\n([\s\S]*?)\n\[End of answer B\]/.exec(user)![1]!;
    // A second judge, for the ensemble: it always prefers the answer shown second.
    const content =
      payload.model === 'second-judge' ? '[[B]]' : bucket(prompt, 5) === 0 ? '[[A]]' : a.length >= b.length ? '[[A]]' : '[[B]]';
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }], usage: { prompt_tokens: 400, completion_tokens: 5 } }));
  });
  base = endpoint.base;
});
test.afterAll(() => endpoint.close());

test('the LM judge in the browser: cost first, both orders, a reload mid-run loses nothing, then judge-risk routing', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Demo project', exact: true }).click();
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByTestId('tag-status')).toContainText('for 40 pairs');
  const panel = page.locator('details', { hasText: 'LM judge: label the pairs' });
  await panel.locator('summary').click();
  await page.getByLabel('Judge endpoint').fill(base);
  await page.getByLabel('Judge model').fill('fake-judge');
  await page.getByLabel('Judge requests in flight').fill('2');
  await page.getByLabel('Judge key', { exact: true }).fill('sk-e2e-judge-secret');
  await page.getByLabel('Judge input price per million tokens').fill('1');
  await page.getByLabel('Judge output price per million tokens').fill('2');
  // The demo pairs carry an LM label already: judge them all the same.
  await page.getByLabel('Only pairs without an LM label from the file').uncheck();
  // The prompt is shown before anything is sent.
  await expect(page.getByLabel('Judge user message')).toHaveValue(/\{response_a\}/);
  await page.getByRole('button', { name: 'Estimate the cost' }).click();
  await expect(page.getByTestId('judge-estimate')).toContainText('40 pairs, 80 requests');
  expect(seen).toHaveLength(0);

  // Slow answers; a reload in the middle of the run.
  delayMs = 150;
  await page.getByRole('button', { name: 'Run the judge' }).click();
  await expect.poll(() => seen.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
  await page.reload();
  const sentBefore = seen.length;
  delayMs = 0;
  await page.locator('details', { hasText: 'LM judge: label the pairs' }).locator('summary').click();
  // The settings are remembered (not the key); run again: only what was not answered is asked.
  await expect(page.getByLabel('Judge endpoint')).toHaveValue(base);
  await expect(page.getByLabel('Judge key', { exact: true })).toHaveValue('');
  expect([...auth]).toEqual(['Bearer sk-e2e-judge-secret']);
  // The key is in no storage of the page: not in localStorage, not in the stored answers.
  const stored = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const req = indexedDB.open('hyper-workbench');
        req.onsuccess = () => {
          const all = req.result.transaction('judgeAnswers').objectStore('judgeAnswers').getAll();
          all.onsuccess = () => resolve(JSON.stringify(all.result) + JSON.stringify({ ...localStorage }));
        };
      }),
  );
  expect(stored).toContain('fake-judge');
  expect(stored).not.toContain('sk-e2e-judge-secret');
  await page.getByRole('button', { name: 'Run the judge' }).click();
  const summary = page.getByTestId('judge-summary');
  await expect(summary).toContainText('Done: 40 of 40 pairs labelled', { timeout: 60_000 });
  // Answers stored before the reload were not paid for again; at most the two in flight at the reload were asked twice.
  expect(seen.length).toBeLessThanOrEqual(80 + 2);
  expect(new Set(seen).size).toBe(80);
  expect(sentBefore).toBeLessThan(80);
  await expect(summary).toContainText(/flip with the order/);
  // A third run asks nothing.
  const before = seen.length;
  await page.getByRole('button', { name: 'Run the judge' }).click();
  await expect(summary).toContainText('80 answers stored before');
  expect(seen.length).toBe(before);

  // A second judge on the same dataset: only its questions are sent; both judges are listed; their majority is
  // made from the stored answers without a request.
  await page.getByLabel('Judge model').fill('second-judge');
  await page.getByRole('button', { name: 'Run the judge' }).click();
  await expect(summary).toContainText('2 judges answered on this dataset', { timeout: 60_000 });
  expect(seen.length).toBe(before + 80);
  const judges = page.getByTestId('judges-table');
  await expect(judges.getByRole('row')).toHaveCount(3);
  // The first judge stays primary (the lead chose no other).
  await expect(judges.getByLabel('Primary judge: fake-judge (pairwise-v1)')).toBeChecked();
  await expect(judges.getByRole('row', { name: /second-judge/ })).toContainText('100.0%');
  await judges.getByLabel('How the judges make the label').selectOption('majority');
  await judges.getByRole('button', { name: 'Apply to the labels' }).click();
  await expect(page.getByTestId('judges-applied')).toContainText('40 pairs labelled from the stored answers');
  expect(seen.length).toBe(before + 80);
  await page.reload();
  await page.locator('details', { hasText: 'LM judge: label the pairs' }).locator('summary').click();
  await expect(page.getByLabel('How the judges make the label')).toHaveValue('majority');

  // The tags were computed again with the judge's signals: the Route page offers judge risk.
  await expect(page.getByTestId('tag-status')).toContainText('for 40 pairs');
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await expect(page.getByTestId('ppm-summary')).toBeVisible();
  await page.getByLabel('Strategy', { exact: true }).selectOption('risk');
  await page.getByLabel('Budget (pairs)').fill('5');
  await expect(page.getByTestId('route-outcome')).toHaveAttribute('data-strategy', 'risk');
  await expect(page.getByTestId('route-outcome')).toHaveAttribute('data-budget', '5');
  // Risk routing's own curve: the expected judge errors that reach people, above a random choice of that size.
  await expect(page.getByTestId('risk-caught')).toContainText(/At 5 pairs, about [\d.]+ of the [\d.]+ judge errors expected/);
  const caught = await page.getByTestId('risk-caught').textContent();
  expect(Number(/\(([\d.]+)x a random choice/.exec(caught ?? '')?.[1])).toBeGreaterThan(1);
});

test('pairs with no label at all: judge them here, route the judge risk to people, re-rank on their labels, export a complete dataset', async ({
  page,
}) => {
  // The demo pairs without any label, as a project lead's own data arrives.
  const rows = readFileSync('src/demo/demo-pairs.jsonl', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { prompt_hash: string; text: string; completion_a: string; completion_b: string });
  const path = join(mkdtempSync(join(tmpdir(), 'hyper-unlabelled-')), 'unlabelled.jsonl');
  writeFileSync(
    path,
    rows
      .map((r) => JSON.stringify({ id: r.prompt_hash, prompt: r.text, response_a: r.completion_a, response_b: r.completion_b }))
      .join('\n'),
  );
  await openApp(page);
  await createProject(page, 'Unlabelled');
  await chooseFile(page, path);
  await page.getByRole('button', { name: `Import ${rows.length} pairs` }).click();
  await expect(page.getByTestId('match-count')).toHaveText(`${rows.length} pairs`);
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByTestId('tag-status')).toContainText(`for ${rows.length} pairs`);
  await page.locator('details', { hasText: 'LM judge: label the pairs' }).locator('summary').click();
  await page.getByLabel('Judge endpoint').fill(base);
  await page.getByLabel('Judge model').fill('fake-judge');
  delayMs = 0;
  await page.getByRole('button', { name: 'Run the judge' }).click();
  await expect(page.getByTestId('judge-summary')).toContainText(`Done: ${rows.length} of ${rows.length} pairs labelled`, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('tag-status')).toContainText(`for ${rows.length} pairs`);

  await page.getByRole('link', { name: 'Review', exact: true }).click();
  await expect(page.getByTestId('judge-calibration')).toContainText('none has a human label yet');

  // Route the 8 riskiest pairs to people and lock the plan.
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await expect(page.getByTestId('ppm-summary')).toBeVisible();
  await page.getByLabel('Strategy', { exact: true }).selectOption('risk');
  await page.getByLabel('Budget (pairs)').fill('8');
  await expect(page.getByTestId('route-outcome')).toHaveAttribute('data-budget', '8');
  await expect(page.getByTestId('route-outcome')).toHaveAttribute('aria-busy', 'false');
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText('Human queue: 8 pairs');

  await startAnnotating(page, 'ana');
  await labelItems(page, ['1', '5', '2']);
  await expect(page.getByTestId('queue-progress')).toContainText('3 submitted');

  // A few human labels: the judge against people.
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  await expect(page.getByTestId('judge-calibration')).toContainText('On 3 pairs with both labels');

  // Re-rank the queue nobody has started on what those labels show; the labelled pairs stay, with their labels.
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await expect(page.getByTestId('rerank')).toContainText('people have made 3 labels in its queue');
  await page.getByTestId('rerank').getByRole('button', { name: 'Re-rank with the labels so far' }).click();
  await expect(page.getByLabel('Learn from the human labels')).toBeChecked();
  await expect(page.getByTestId('outcome-refit')).toContainText('learnt from 3 pairs');
  await expect(page.getByTestId('route-outcome')).toHaveAttribute('aria-busy', 'false');
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText('Plan v2');
  await expect(page.getByTestId('current-plan')).toContainText('Human queue: 8 pairs');
  // The new plan carries the labels over; none is made under it yet, so there is nothing to re-rank on.
  await expect(page.getByTestId('rerank')).toHaveCount(0);
  const plans = await page.evaluate(
    () =>
      new Promise<{ version: number; humanIdx: number[]; judge?: { refit: { n: number } | null } }[]>((resolve) => {
        const req = indexedDB.open('hyper-workbench');
        req.onsuccess = () => {
          const all = req.result.transaction('plans').objectStore('plans').getAll();
          all.onsuccess = () =>
            resolve((all.result as { version: number; humanIdx: Uint32Array }[]).map((p) => ({ ...p, humanIdx: [...p.humanIdx] })));
        };
      }),
  );
  const v1 = plans.find((p) => p.version === 1)!;
  const v2 = plans.find((p) => p.version === 2)!;
  // The three labelled pairs (the first three of v1's queue) lead v2's queue; the plan records the refit.
  expect(v2.humanIdx.slice(0, 3).sort()).toEqual(v1.humanIdx.slice(0, 3).sort());
  expect(v2.judge?.refit?.n).toBe(3);
  await page.getByRole('link', { name: 'Annotate', exact: true }).click();
  await expect(page.getByTestId('queue-progress')).toContainText('3 submitted');

  // Every pair leaves with a label: the people's where they gave one, the judge's elsewhere.
  await page.getByRole('link', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('merge-summary')).toBeVisible();
  await expect(page.getByTestId('summary-left-out')).toContainText('0 unlabelled, 0 with no usable label');
  await expect(page.getByTestId('summary-sources')).toContainText(/^3 \/ \d+$/);
});
