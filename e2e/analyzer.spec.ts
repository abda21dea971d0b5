import { expect, test } from '@playwright/test';
import { readBody, startChatEndpoint } from './fixtures/chat-endpoint';
import { createProject, openApp } from './helpers';

// A local stand-in for an OpenAI-compatible chat endpoint (the same HTTP API), answering from the prompt.
const DIMENSIONS = [
  'subject_of_expertise',
  'languages',
  'expertise_level',
  'open_endedness',
  'safety_concern',
  'complexity_of_intents',
  'type_of_in_context_material',
  'format_constraints',
];
function answer(dimension: string, i: number): unknown {
  switch (dimension) {
    case 'subject_of_expertise':
      return i % 2 ? ['Mathematics'] : ['History', 'Geography'];
    case 'languages':
      return ['English'];
    case 'expertise_level':
      return 'general public';
    case 'open_endedness':
      return 'low';
    case 'safety_concern':
      return i % 3 === 0 ? 'moderate' : 'safe';
    case 'complexity_of_intents':
      return 'simple';
    case 'type_of_in_context_material':
      return [];
    default:
      return i % 4 === 0 ? ['one sentence'] : [];
  }
}

let endpoint: Awaited<ReturnType<typeof startChatEndpoint>>;
let base = '';
let requests = 0;
let maxInFlight = 0;
let inFlight = 0;

test.beforeAll(async () => {
  endpoint = await startChatEndpoint(async (req, res, base) => {
    // An endpoint that redirects elsewhere: the app must not follow it with the prompts.
    if (req.url === '/moved/v1/chat/completions') return res.writeHead(307, { Location: `${base}/chat/completions` }).end();
    if (req.url !== '/v1/chat/completions') return res.writeHead(404).end();
    requests++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const payload = JSON.parse(await readBody(req)) as { messages: { role: string; content: string }[]; temperature: number };
    const user = payload.messages.find((m) => m.role === 'user')!.content;
    const dimension = DIMENSIONS.find((d) => user.includes(`"${d}"`))!;
    const i = Number(/Question (\d+)\?/.exec(user)![1]);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        choices: [{ message: { role: 'assistant', content: JSON.stringify({ [dimension]: answer(dimension, i) }) } }],
        usage: { prompt_tokens: 100, completion_tokens: 10 },
      }),
    );
  });
  base = endpoint.base;
});
test.afterAll(() => endpoint.close());

test('descriptive tags from an OpenAI-compatible endpoint: tagged, cached, used by the features', async ({ page }) => {
  const n = 12;
  const text = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ prompt: `Question ${i}?`, chosen: `Answer ${i}`, rejected: `No ${i}` }),
  ).join('\n');
  await openApp(page);
  await createProject(page, 'Analyzer');
  await page.getByLabel('Dataset file').setInputFiles({ name: 'q.jsonl', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: `Import ${n} pairs` }).click();
  // The import navigates to its dataset when stored; only then move on.
  await expect(page.getByTestId('match-count')).toHaveText(`${n} pairs`);
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByText('(18 of 90 tags available)')).toBeVisible();

  await page.getByLabel('Base URL').fill(base);
  await page.getByLabel('Model', { exact: true }).fill('local-test-model');
  await page.getByLabel('Parallel requests').fill('3');
  await page.getByLabel('Input tokens: price per million').fill('500');
  await page.getByLabel('Output tokens: price per million').fill('1000');
  await page.getByRole('button', { name: 'Run analyzer' }).click();
  const summary = page.getByTestId('analyzer-summary');
  await expect(summary).toContainText(`Done: ${n} of ${n} pairs tagged`);
  await expect(summary).toContainText(`${n * 8} requests`);
  // 96 requests x (100 input tokens at 0.5 + 10 output tokens at 1) per 1k = 96 x 0.06
  await expect(summary).toContainText(`est. cost ${(n * 8 * 0.06).toFixed(4)}`);
  expect(requests).toBe(n * 8);
  expect(maxInFlight).toBeLessThanOrEqual(3);

  // The features are recomputed with the new tags.
  await expect(page.getByText('(81 of 90 tags available)')).toBeVisible();
  const coverage = page.getByRole('table', { name: 'Tag coverage' });
  const moderate = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === 0).length;
  await expect(
    coverage
      .getByRole('row', { name: /^safety concern: moderate / })
      .getByRole('cell')
      .nth(2),
  ).toHaveText(String(moderate));
  await expect(
    coverage
      .getByRole('row', { name: /^subject of expertise: Mathematics / })
      .getByRole('cell')
      .nth(2),
  ).toHaveText(String(n / 2));

  // A rerun (even after a reload) asks nothing: every answer comes from the cache.
  await page.reload();
  await page.getByText('Descriptive tags from an LLM').click();
  await page.getByLabel('Only pairs without tags from the file').uncheck();
  await page.getByRole('button', { name: 'Run analyzer' }).click();
  await expect(summary).toContainText(`${n * 8} answers from the cache`);
  await expect(summary).toContainText('0 requests');
  expect(requests).toBe(n * 8);
});

test('a redirect is refused, not followed: no prompt reaches the address it points to', async ({ page }) => {
  const text = Array.from({ length: 3 }, (_, i) =>
    JSON.stringify({ prompt: `Question ${i}?`, chosen: `Answer ${i}`, rejected: `No ${i}` }),
  ).join('\n');
  await openApp(page);
  await createProject(page, 'Redirect');
  await page.getByLabel('Dataset file').setInputFiles({ name: 'q.jsonl', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByRole('button', { name: 'Import 3 pairs' }).click();
  await expect(page.getByTestId('match-count')).toHaveText('3 pairs');
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  await page.getByRole('button', { name: 'Compute tags' }).click();
  await expect(page.getByText('(18 of 90 tags available)')).toBeVisible();
  const before = requests;
  await page.getByLabel('Base URL').fill(base.replace('/v1', '/moved/v1'));
  await page.getByLabel('Model', { exact: true }).fill('local-test-model');
  await page.getByRole('button', { name: 'Run analyzer' }).click();
  const summary = page.getByTestId('analyzer-summary');
  await expect(summary).toContainText('Stopped early: 0 of 3 pairs tagged');
  await expect(summary).toContainText(
    '/moved/v1/chat/completions answered with a redirect. Prompts are sent only to the address you set, so it was not followed',
  );
  expect(requests).toBe(before);
});
