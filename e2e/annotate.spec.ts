import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { demoPlan, startAnnotating, storedAnnotations, storedFor } from './fixtures/annotate';

const KEYS = ['1', '2', '3', '4', '5', '2', '4', '1', '5', '3'];

test('label ten items with the keyboard only; a reload resumes on the same item with the draft', async ({ page }) => {
  await demoPlan(page, 12);
  await startAnnotating(page, 'ana');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 1 of 12');
  for (let i = 0; i < 10; i++) {
    await expect(page.getByTestId('queue-position')).toHaveText(`Item ${i + 1} of 12`);
    await page.keyboard.press(KEYS[i]!);
    if (i === 5) {
      // Midway: a draft (overall chosen, no confidence yet), then a reload.
      await expect(page.getByTestId('item-status')).toContainText('Saved');
      await page.reload();
      await expect(page.getByTestId('queue-position')).toHaveText('Item 6 of 12');
      await expect(page.getByRole('radiogroup', { name: 'Overall preference' }).getByRole('radio', { checked: true })).toHaveText(
        /Left is slightly better/,
      );
    }
    await page.keyboard.press('w');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('queue-position')).toHaveText('Item 11 of 12');
  await expect(page.getByTestId('queue-progress')).toContainText('10 submitted');
  // Enter without a choice tells what is missing and stays.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'To submit, choose the overall preference and your confidence' })).toBeVisible();
  // Back to the first item: read-only after submitting; r reveals the LM label.
  for (let i = 0; i < 10; i++) await page.keyboard.press('p');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 1 of 12');
  await page.keyboard.press('r');
  await expect(page.getByTestId('lm-reveal')).toContainText('LM judge');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard' })).toHaveCount(0);

  const stored = (await storedAnnotations(page)).filter((a) => a.status === 'submitted');
  expect(stored).toHaveLength(10);
  // Stored in the dataset's orientation: the key pressed, mapped back through the side swap.
  const queue = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const req = indexedDB.open('hyper-workbench');
        req.onsuccess = () => {
          const all = req.result.transaction('plans').objectStore('plans').getAll();
          all.onsuccess = () => resolve([...(all.result[0] as { humanIdx: Uint32Array }).humanIdx]);
        };
      }),
  );
  for (let i = 0; i < 10; i++) {
    const a = stored.find((x) => x.idx === queue[i])!;
    expect(a.overall).toBe(storedFor(KEYS[i]!, a.swapped));
    expect(a.confidence).toBe('fairly-confident');
    expect(a.annotator).toBe('ana');
  }
  expect(new Set(stored.map((a) => a.swapped)).size).toBe(2);
});

test('closing the browser mid-item and reopening the same profile loses nothing', async ({ baseURL }) => {
  const profile = mkdtempSync(join(tmpdir(), 'hyper-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      baseURL: baseURL!,
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-quic',
        '--no-first-run',
        '--disable-sync',
      ],
    });
  let context = await launch();
  let page = context.pages()[0] ?? (await context.newPage());
  await demoPlan(page, 6);
  await startAnnotating(page, 'bo');
  await page.keyboard.press('4');
  await page.keyboard.press('q');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 2 of 6');
  await page.keyboard.press('5');
  await page.getByLabel('Rationale').fill('The right answer cites its source.');
  await expect(page.getByTestId('item-status')).toContainText('Saved');
  await context.close();

  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto('/');
  await page.getByRole('button', { name: 'Demo project', exact: true }).click();
  await startAnnotating(page, 'bo');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 2 of 6');
  await expect(page.getByLabel('Rationale')).toHaveValue('The right answer cites its source.');
  await expect(page.getByRole('radiogroup', { name: 'Overall preference' }).getByRole('radio', { checked: true })).toHaveText(
    /Right is clearly better/,
  );
  await expect(page.getByTestId('queue-progress')).toContainText('1 submitted');
  await context.close();
});

test('two tabs of one annotator never overwrite each other silently', async ({ context }) => {
  const one = await context.newPage();
  await demoPlan(one, 4);
  await startAnnotating(one, 'cy');
  const two = await context.newPage();
  await two.goto(one.url());
  await expect(two.getByTestId('queue-position')).toHaveText('Item 1 of 4');
  await one.keyboard.press('1');
  await expect(one.getByTestId('item-status')).toContainText('Saved');
  await two.keyboard.press('5');
  await expect(two.getByRole('alert').filter({ hasText: 'changed in another tab' })).toBeVisible();
  await two.getByRole('button', { name: 'Load the saved version' }).click();
  await expect(two.getByRole('radiogroup', { name: 'Overall preference' }).getByRole('radio', { checked: true })).toHaveText(
    /Left is clearly better/,
  );
});

test('active time counts only while the tab is visible', async ({ page }) => {
  await demoPlan(page, 4);
  await startAnnotating(page, 'dee');
  await expect(page.getByTestId('item-status')).toBeVisible();
  const started = Date.now();
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((s) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await page.waitForTimeout(300);
  await setVisibility('hidden');
  await page.waitForTimeout(2_500);
  await setVisibility('visible');
  await page.keyboard.press('2');
  await page.keyboard.press('w');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-progress')).toContainText('1 submitted');
  const wall = Date.now() - started;
  const [a] = (await storedAnnotations(page)).filter((x) => x.annotator === 'dee' && x.status === 'submitted');
  expect(wall).toBeGreaterThan(2_500);
  expect(a!.activeMs).toBeGreaterThan(200);
  expect(a!.activeMs).toBeLessThan(wall - 2_000);
});

test('a shuffled queue is reproducible for a seed', async ({ page }) => {
  await demoPlan(page, 10);
  await startAnnotating(page, 'eve');
  const prompts = async () => {
    const out: string[] = [];
    for (let i = 1; i <= 4; i++) {
      await page.getByLabel('Jump to item').fill(String(i));
      await page.getByLabel('Jump to item').press('Enter');
      await expect(page.getByTestId('queue-position')).toHaveText(`Item ${i} of 10`);
      out.push((await page.getByRole('region', { name: 'Prompt' }).textContent())!);
    }
    return out;
  };
  const byGain = await prompts();
  await page.getByLabel('Queue order').selectOption('shuffled');
  await page.getByLabel('Queue seed').fill('3');
  const seed3 = await prompts();
  await page.getByLabel('Queue seed').fill('4');
  const seed4 = await prompts();
  await page.getByLabel('Queue seed').fill('3');
  expect(await prompts()).toEqual(seed3);
  expect(seed3).not.toEqual(byGain);
  expect(seed4).not.toEqual(seed3);
});

test('undo after submitting brings the item back as a draft; Esc closes the guidelines; diff and guidelines do not follow to the next item', async ({
  page,
}) => {
  await demoPlan(page, 5);
  await startAnnotating(page, 'ana');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 1 of 5');
  await page.keyboard.press('2');
  await page.keyboard.press('w');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 2 of 5');
  // u on the next item undoes the submit: back to item 1, a draft again, the choices kept.
  await page.keyboard.press('u');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 1 of 5');
  await expect(page.getByTestId('item-status')).toContainText('Draft');
  await expect(page.getByRole('radiogroup', { name: 'Overall preference' }).getByRole('radio', { checked: true })).toHaveText(
    /Left is slightly better/,
  );
  await expect.poll(async () => (await storedAnnotations(page)).filter((a) => a.status === 'submitted').length).toBe(0);
  // A second u goes on back: the confidence goes.
  await page.keyboard.press('u');
  await expect(page.getByRole('radiogroup', { name: 'Confidence', exact: true }).getByRole('radio', { checked: true })).toHaveCount(0);

  // Guidelines open with g and close with Esc.
  const guidelines = page.getByRole('complementary', { name: 'Guidelines' });
  await page.keyboard.press('g');
  await expect(guidelines).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(guidelines).toHaveCount(0);
  // Diff and guidelines are for the item they were opened on.
  await page.keyboard.press('d');
  await page.keyboard.press('g');
  await expect(page.getByRole('region', { name: 'Differences between the responses' })).toBeVisible();
  await page.keyboard.press('w');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 2 of 5');
  await expect(page.getByRole('region', { name: 'Differences between the responses' })).toHaveCount(0);
  await expect(guidelines).toHaveCount(0);
});

test('a save that fails (a full disk) keeps the annotator on the item; once storage works again, Enter saves and moves on', async ({
  page,
}) => {
  await demoPlan(page, 6);
  await startAnnotating(page, 'cy');
  await page.keyboard.press('2');
  await page.keyboard.press('w');
  await expect(page.getByTestId('item-status')).toContainText('Saved');
  // From now on IndexedDB refuses annotation writes the way a full disk does.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    (window as unknown as { restorePut: () => void }).restorePut = () => {
      IDBObjectStore.prototype.put = put;
    };
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'annotations') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Not saved, so you are still on this item' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Your last change could not be saved' })).toContainText('storage');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 1 of 6');
  // The draft is still here, with its choice, and nothing was submitted.
  await expect(page.getByRole('radiogroup', { name: 'Overall preference' }).getByRole('radio', { checked: true })).toHaveText(
    /Left is slightly better/,
  );
  expect((await storedAnnotations(page)).filter((a) => a.status === 'submitted')).toHaveLength(0);

  await page.evaluate(() => (window as unknown as { restorePut: () => void }).restorePut());
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 2 of 6');
  const stored = (await storedAnnotations(page)).filter((a) => a.status === 'submitted');
  expect(stored).toHaveLength(1);
});

test('keys are physical keys: Caps Lock and other layouts label the same way, and a key can be changed in the help', async ({ page }) => {
  await demoPlan(page, 4);
  await startAnnotating(page, 'ana');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 1 of 4');
  // An AZERTY keyboard types "&" on the key US keyboards call 1, and "a" on Q; with Caps Lock, "Q" is still KeyQ.
  await page.evaluate(() => {
    for (const [key, code] of [
      ['&', 'Digit1'],
      ['A', 'KeyQ'],
    ])
      window.dispatchEvent(new KeyboardEvent('keydown', { key, code, bubbles: true }));
  });
  await expect(page.getByRole('radiogroup', { name: 'Overall preference' }).getByRole('radio', { checked: true })).toHaveText(
    /Left is clearly better/,
  );
  await expect(page.getByRole('radiogroup', { name: 'Confidence' }).getByRole('radio', { checked: true })).toHaveText(
    /Absolutely confident/i,
  );
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 2 of 4');
  // Skip moves from s to k.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard' });
  await help.getByRole('button', { name: /Change the key for skip/ }).click();
  await expect(help.getByTestId('key-skip')).toHaveText('press a key…');
  await page.keyboard.press('k');
  await expect(help.getByTestId('key-skip')).toHaveText('k');
  await help.getByRole('button', { name: 'Close' }).click();
  await page.keyboard.press('s');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 2 of 4');
  await page.keyboard.press('k');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 3 of 4');
  // The change is remembered after a reload; "Reset" brings the default keys back.
  await page.reload();
  await expect(page.getByRole('button', { name: /^Skip/ })).toContainText('k');
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard' }).getByRole('button', { name: 'Reset to the default keys' }).click();
  await expect(page.getByRole('dialog', { name: 'Keyboard' }).getByTestId('key-skip')).toHaveText('s');
});
