import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chooseFile, createProject, openApp } from './helpers';

interface DemoRow {
  prompt_hash: string;
  text: string;
  completion_a: string;
  completion_b: string;
  pref_gpt4: string;
  pref_human: string | null;
}

/** The demo pairs as `hyper judge` writes them: every ninth without a verdict, every fourth flipping with the order. */
const WINNER: Record<string, string> = {
  'A-is-clearly-better': 'A',
  'A-is-slightly-better': 'A',
  Tie: 'tie',
  'B-is-slightly-better': 'B',
  'B-is-clearly-better': 'B',
};

function judgedFile(): { path: string; noVerdict: number[]; accuracy: string; withBoth: number } {
  const rows = readFileSync('src/demo/demo-pairs.jsonl', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DemoRow);
  const noVerdict: number[] = [];
  let judged = 0;
  let right = 0;
  const lines = rows.map((r, i) => {
    const none = i % 9 === 0;
    if (none) noVerdict.push(i);
    const flips = !none && i % 4 === 0;
    if (!none && r.pref_human) {
      judged++;
      if (WINNER[flips ? 'Tie' : r.pref_gpt4] === WINNER[r.pref_human]) right++;
    }
    return JSON.stringify({
      id: r.prompt_hash,
      prompt: r.text,
      response_a: r.completion_a,
      response_b: r.completion_b,
      pref_human: r.pref_human,
      pref_lm: none ? null : flips ? 'Tie' : r.pref_gpt4,
      lm_judge: 'fake-judge (pairwise-v1)',
      judge_swap_inconsistent: none ? null : flips,
      judge_vote_split: flips ? 0.5 : 0,
      judge_confidence: null,
      judge_answers: 2,
      judge_unparseable: none ? 2 : 0,
    });
  });
  const path = join(mkdtempSync(join(tmpdir(), 'hyper-judged-')), 'judged.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, noVerdict, accuracy: `${((100 * right) / judged).toFixed(1)}%`, withBoth: judged };
}

test('pairs judged by "hyper judge" route by judge risk: the pairs without a verdict go to humans first', async ({ page }) => {
  const { path, noVerdict, accuracy, withBoth } = judgedFile();
  await openApp(page);
  await createProject(page, 'Judged');
  await chooseFile(page, path);
  await page.getByRole('button', { name: 'Import 40 pairs' }).click();
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByTestId('tag-status')).toContainText('for 40 pairs');
  // The file's human labels say how far the judge can be trusted, before anyone annotates.
  await page.getByRole('link', { name: 'Review', exact: true }).click();
  const calibration = page.getByTestId('judge-calibration');
  // The demo has a human label on 24 of its 40 pairs.
  await expect(calibration).toContainText(`On ${withBoth} pairs with both labels`);
  await expect(calibration.getByTestId('judge-accuracy')).toHaveText(accuracy);
  await expect(calibration).toContainText('flips when the responses swap places on');
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await expect(page.getByTestId('ppm-summary')).toBeVisible();
  await page.getByLabel('Strategy', { exact: true }).selectOption('risk');
  await page.getByLabel('Budget (pairs)').fill(String(noVerdict.length));
  const outcome = page.getByTestId('route-outcome');
  await expect(outcome).toHaveAttribute('data-strategy', 'risk');
  await expect(outcome).toHaveAttribute('data-budget', String(noVerdict.length));
  await expect(outcome).toHaveAttribute('aria-busy', 'false');
  await page.getByRole('button', { name: 'Lock routing plan' }).click();
  await expect(page.getByTestId('current-plan')).toContainText(`risk`);
  const routed = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const req = indexedDB.open('hyper-workbench');
        req.onsuccess = () => {
          const all = req.result.transaction('plans').objectStore('plans').getAll();
          all.onsuccess = () => resolve([...(all.result[0] as { humanIdx: Uint32Array }).humanIdx].sort((a, b) => a - b));
        };
      }),
  );
  expect(routed).toEqual(noVerdict);
  // Learning from the human labels: the file's 24 labelled pairs (21 with a judge label) fit the model.
  await page.getByLabel('Learn from the human labels').check();
  await page.getByLabel('Budget (pairs)').fill('30');
  await expect(page.getByTestId('outcome-refit')).toContainText(`learnt from ${withBoth} pairs`);
  await expect(outcome).toHaveAttribute('data-budget', '30');
  await page.getByLabel('Learn from the human labels').uncheck();
  // Hybrid takes a gain weight; at 1 it is the PPM's top-k.
  await page.getByLabel('Strategy', { exact: true }).selectOption('hybrid');
  await expect(page.getByLabel('Gain weight')).toBeVisible();
  await expect(outcome).toHaveAttribute('data-strategy', 'hybrid');
  // "Why this pair?" shows both parts of the hybrid score: a pair without a verdict has risk 1.
  await page.getByLabel('Explain pair number').fill(String(noVerdict[0]! + 1));
  await expect(page.getByTestId('explain-risk')).toContainText('Judge risk 1.00');
  await expect(page.getByTestId('explain-risk')).toContainText('hybrid score 0.5 x');
});

test('a dataset without judge signals offers no judge-risk routing', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Demo project', exact: true }).click();
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByTestId('tag-status')).toContainText('for 40 pairs');
  await page.getByRole('link', { name: 'Route', exact: true }).click();
  await expect(page.getByTestId('ppm-summary')).toBeVisible();
  await expect(page.getByRole('option', { name: /Judge risk.*needs judge signals/ })).toBeDisabled();
});
