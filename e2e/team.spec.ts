// Team mode end to end: the lead starts `hyper serve`, signs in with the printed link, locks a plan on the demo
// project, publishes it with overlap 2 and invites two annotators; each labels in a browser of their own, the
// lead's page shows progress and agreement change without a reload, and the server's export equals the
// workbench's own export of the same labels, byte for byte in the data file.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { demoPlan } from './fixtures/annotate';
import { startServer as startTeamServer, type TeamServer } from '../bench/team-load.mjs';
import { unzip } from './fixtures/unzip';

let server: TeamServer;

test.beforeAll(async () => {
  server = await startTeamServer();
});

test.afterAll(async () => {
  await server?.stop();
});

async function contextAt(browser: Browser, link: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ baseURL: server.base });
  const page = await ctx.newPage();
  await page.goto(link);
  return { ctx, page };
}

/** Labels the item shown with `key` (1-5), absolutely confident, submits it, and waits until the server has it. */
async function labelAndSync(page: Page, key: string, done: number): Promise<void> {
  await expect(page.getByRole('region', { name: 'Prompt' })).toBeVisible();
  await page.keyboard.press(key);
  await page.keyboard.press('q');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-progress')).toContainText(`${done} submitted`);
  await expect(page.getByTestId('team-queue')).toContainText(`${done} submitted`);
}

test('two annotators label with overlap 2; the lead sees it live and the server export equals the workbench export', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { ctx: leadCtx, page: lead } = await contextAt(browser, server.link);
  await demoPlan(lead, 4);
  await lead.getByRole('link', { name: 'Team', exact: true }).click();
  await lead.getByLabel('Annotators per pair (overlap)').fill('2');
  await lead.getByRole('button', { name: 'Publish to the server' }).click();
  await expect(lead.getByTestId('team-published')).toContainText('4 pairs for people, 2 annotators each');
  const planId = Number(/server plan (\d+)/.exec((await lead.getByTestId('team-published').textContent()) ?? '')![1]);

  const links: string[] = [];
  for (const name of ['ann', 'bob']) {
    await lead.getByLabel('Annotator name').fill(name);
    await lead.getByRole('button', { name: 'Create an invite link' }).click();
    await expect(lead.getByTestId('invite-link')).toContainText(name);
    links.push((await lead.getByTestId('invite-link').locator('code').textContent())!.trim());
  }
  await expect(lead.getByTestId('team-progress')).toContainText('0 of 8 labels');

  const ann = await contextAt(browser, links[0]!);
  const bob = await contextAt(browser, links[1]!);
  for (const [{ page }, name] of [
    [ann, 'ann'],
    [bob, 'bob'],
  ] as const) {
    await expect(page.getByTestId('annotator-name')).toHaveText(name);
    // Only their queue: no project list, no workflow pages, no LM label.
    await expect(page.getByRole('navigation', { name: 'Workflow' })).toHaveCount(0);
  }
  await labelAndSync(ann.page, '1', 1);
  // The lead's page moves without a reload.
  await expect(lead.getByTestId('team-progress')).toContainText('1 of 8 labels');
  await labelAndSync(bob.page, '1', 1);
  for (const [k, key] of ['2', '5', '4'].entries()) await labelAndSync(ann.page, key, k + 2);
  for (const [k, key] of ['2', '1', '4'].entries()) await labelAndSync(bob.page, key, k + 2);
  await expect(lead.getByTestId('team-progress')).toContainText('8 of 8 labels · 4 of 4 pairs complete');
  await expect(lead.getByTestId('team-agreement')).toContainText('over 4 pairs');
  await expect(lead.getByTestId('team-agreement')).toContainText('κ ann–bob');
  await expect(ann.page.getByTestId('team-queue')).toContainText('4 submitted · the plan still wants 0 labels');
  await expect(ann.page.getByTestId('team-sync')).toHaveText('All sent');
  // The LM label stays on the server, and the queue keeps the server's order.
  await expect(ann.page.getByRole('button', { name: /Reveal the LM label/ })).toHaveCount(0);
  await expect(ann.page.getByLabel('Queue order')).toHaveCount(0);

  // On the server: 8 labels, one per annotator and pair, nothing more.
  const stored = (await (await leadCtx.request.get(`${server.base}/api/v1/plans/${planId}/annotations`)).json()) as {
    annotations: { idx: number; annotator: string; overall: string }[];
  };
  expect(stored.annotations).toHaveLength(8);
  expect(new Set(stored.annotations.map((a) => `${a.annotator}|${a.idx}`)).size).toBe(8);
  // An annotator cannot read them.
  expect((await ann.ctx.request.get(`${server.base}/api/v1/plans/${planId}/annotations`)).status()).toBe(403);

  // Who did what, for the lead.
  await lead.getByRole('button', { name: /Audit log/ }).click();
  for (const action of ['invite-created', 'plan-published', 'submitted']) await expect(lead.getByTestId('audit-log')).toContainText(action);

  await lead.getByRole('button', { name: 'Bring the labels into this project' }).click();
  await expect(lead.getByTestId('team-pulled')).toContainText('8 new');

  // The workbench's own export of those labels…
  await lead.getByRole('link', { name: 'Export', exact: true }).click();
  await expect(lead.getByTestId('merge-summary')).toBeVisible();
  await lead.getByLabel('Export format').selectOption('trl');
  const download = lead.waitForEvent('download');
  await lead.getByRole('button', { name: 'Export zip' }).click();
  const mine = unzip(readFileSync(await (await download).path()));
  // …and the server's, through the same merge and writer.
  const fromServer = await leadCtx.request.get(`${server.base}/api/v1/plans/${planId}/export?format=trl`);
  expect(fromServer.status()).toBe(200);
  const theirs = unzip(await fromServer.body());
  const dataOf = (files: Map<string, Buffer>) => files.get([...files.keys()].find((n) => n.endsWith('.jsonl'))!)!.toString('utf8');
  expect(dataOf(theirs).length).toBeGreaterThan(0);
  expect(dataOf(theirs)).toBe(dataOf(mine));
  const manifest = (files: Map<string, Buffer>) => JSON.parse(files.get('manifest.json')!.toString('utf8')) as { merge: unknown };
  expect(manifest(theirs).merge).toEqual(manifest(mine).merge);

  for (const c of [leadCtx, ann.ctx, bob.ctx]) await c.close();
});

test('an annotator offline keeps working and syncs on reconnect; a second device on the same item shows a conflict', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const own = await startTeamServer();
  try {
    const { ctx: leadCtx } = await contextAt(browser, own.link);
    const post = async (path: string, data: unknown) => {
      const r = await leadCtx.request.post(`${own.base}/api/v1/${path}`, { data, headers: { origin: own.base } });
      expect(r.status(), `${path}: ${await r.text()}`).toBe(201);
      return r.json();
    };
    const pairs = Array.from({ length: 6 }, (_, idx) => ({
      idx,
      id: `p${idx}`,
      prompt: `Question ${idx}: which answer is kinder?`,
      responseA: `First answer to question ${idx}.`,
      responseB: `Second answer to question ${idx}, longer.`,
      lm: 'A>B',
    }));
    const { datasetId } = (await post('datasets', { name: 'offline', pairs })) as { datasetId: number };
    const { planId } = (await post('plans', { datasetId, humanIdx: [0, 1, 2, 3, 4, 5], overlap: 1 })) as { planId: number };
    const { link } = (await post('invites', { name: 'cat', projectId: datasetId })) as { link: string };
    const labelsOnServer = async () =>
      ((await (await leadCtx.request.get(`${own.base}/api/v1/plans/${planId}/annotations`)).json()) as { annotations: { idx: number }[] })
        .annotations;

    const cat = await contextAt(browser, link.replace(/^http:\/\/[^/]+/, own.base));
    await labelAndSync(cat.page, '2', 1);
    await cat.ctx.setOffline(true);
    for (const [k, key] of ['4', '1'].entries()) {
      await expect(cat.page.getByRole('region', { name: 'Prompt' })).toBeVisible();
      await cat.page.keyboard.press(key);
      await cat.page.keyboard.press('q');
      await cat.page.keyboard.press('Enter');
      await expect(cat.page.getByTestId('queue-progress')).toContainText(`${k + 2} submitted`);
    }
    await expect(cat.page.getByTestId('team-sync')).toContainText('Offline: 2 waiting');
    expect(await labelsOnServer()).toHaveLength(1);
    await cat.ctx.setOffline(false);
    await expect(cat.page.getByTestId('team-sync')).toHaveText('All sent');
    await expect.poll(async () => (await labelsOnServer()).length).toBe(3);

    // The same annotator in a second browser (their session, another device): it is handed the items cat holds.
    const cookies = await cat.ctx.cookies();
    const second = await browser.newContext({ baseURL: own.base });
    await second.addCookies(cookies);
    const other = await second.newPage();
    await other.goto('/');
    await expect(other.getByTestId('annotator-name')).toHaveText('cat');
    await expect(other.getByRole('region', { name: 'Prompt' })).toBeVisible();
    const prompt = (await other.getByRole('region', { name: 'Prompt' }).textContent()) ?? '';
    const onFirst = (await cat.page.getByRole('region', { name: 'Prompt' }).textContent()) ?? '';
    expect(prompt).toBe(onFirst);
    await other.keyboard.press('5');
    await other.keyboard.press('q');
    await other.keyboard.press('Enter');
    await expect(other.getByTestId('queue-progress')).toContainText('1 submitted');
    await expect(other.getByTestId('team-sync')).toHaveText('All sent');
    await expect.poll(async () => (await labelsOnServer()).length).toBe(4);
    await cat.page.keyboard.press('1');
    await cat.page.keyboard.press('q');
    await cat.page.keyboard.press('Enter');
    await expect(cat.page.getByTestId('team-problem')).toContainText('you submitted it from another device');
    // The server kept the first device's label and put the second apart, for the lead.
    expect(await labelsOnServer()).toHaveLength(4);
    const conflicts = (await (await leadCtx.request.get(`${own.base}/api/v1/plans/${planId}/conflicts`)).json()) as {
      conflicts: unknown[];
    };
    expect(conflicts.conflicts).toHaveLength(1);
    for (const c of [leadCtx, cat.ctx, second]) await c.close();
  } finally {
    await own.stop();
  }
});
