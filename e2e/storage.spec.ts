// Browser storage under pressure: an import that would fill the disk is refused before it writes (a full disk
// can make Chromium drop every project of the site), and a whole project backs up to one file and restores.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { demoPlan, startAnnotating, storedAnnotations } from './fixtures/annotate';
import { chooseFile, createProject } from './helpers';

const ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

/** A JSONL file of `n` pairs whose every text is different (seeded), about 2.5 kB a pair. */
async function uniquePairs(path: string, n: number): Promise<void> {
  let x = 11;
  const next = () => (x = (x * 1103515245 + 12345) & 0x7fffffff);
  const words =
    'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(
      ' ',
    );
  const text = (k: number) => Array.from({ length: k }, () => `${words[next() % words.length]}${next() % 10_000}`).join(' ');
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++)
    out.write(
      `${JSON.stringify({ id: `u${i}`, prompt: text(20), response_a: text(150), response_b: text(150), pref_lm: i % 2 ? 'A' : 'B' })}\n`,
    );
  await new Promise<void>((done) => out.end(done));
}

async function projectNames(page: Page): Promise<string[]> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Projects' }).getByRole('listitem').first()).toBeVisible();
  return page
    .getByRole('list', { name: 'Projects' })
    .getByRole('listitem')
    .getByRole('button')
    .filter({ hasNotText: /^(Back up|Rename|Delete)$/ })
    .allInnerTexts();
}

// Mounting a small filesystem needs root; elsewhere the test says why it skips.
const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

test('a disk-full import is refused with the storage message, leaves nothing, and every earlier project survives a restart', async ({
  baseURL,
}) => {
  test.skip(!canMount, 'needs root to mount a small tmpfs for the browser profile');
  const profile = mkdtempSync(join(tmpdir(), 'hyper-small-profile-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=80m', 'tmpfs', profile]);
  } catch (e) {
    test.skip(true, `mount refused here: ${e instanceof Error ? e.message : String(e)}`);
  }
  const big = join(mkdtempSync(join(tmpdir(), 'hyper-big-')), 'big.jsonl');
  await uniquePairs(big, 24_000); // about 60 MB of text: more than the 80 MB disk can take as IndexedDB
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      baseURL: baseURL!,
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ARGS,
    });
  try {
    let context = await launch();
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await createProject(page, 'Keep me');
    // A small import still works on this disk.
    const small = join(tmpdir(), `small-${process.pid}.jsonl`);
    await uniquePairs(small, 50);
    await chooseFile(page, small);
    await page.getByRole('button', { name: 'Import 50 pairs' }).click();
    await expect(page.getByTestId('match-count')).toHaveText('50 pairs');

    await page.goto('/');
    await createProject(page, 'Too big');
    await chooseFile(page, big);
    await page.getByRole('button', { name: 'Import 24,000 pairs' }).click({ timeout: 60_000 });
    const failed = page.getByRole('alert').filter({ hasText: 'Import failed' });
    await expect(failed).toContainText('Importing big.jsonl needs about', { timeout: 60_000 });
    await expect(failed).toContainText('Nothing was stored, and your projects are as they were');
    // Nothing of it stays: the project has no dataset.
    await page.reload();
    await expect(page.getByText('No datasets yet')).toBeVisible();
    await context.close();

    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    expect(await projectNames(page)).toEqual(expect.arrayContaining(['Keep me', 'Too big', 'Demo project']));
    await page.getByRole('button', { name: 'Keep me', exact: true }).click();
    await expect(page.getByTestId('dataset-row-count')).toHaveText('50');
    await context.close();
  } finally {
    spawnSync('umount', [profile]);
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a project backs up to one file and restores exactly: data, plan, annotations, positions', async ({ page }) => {
  await demoPlan(page, 4);
  await startAnnotating(page, 'ana');
  for (const key of ['1', '5']) {
    await page.keyboard.press(key);
    await page.keyboard.press('w');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('queue-progress')).toContainText('2 submitted');
  const before = (await storedAnnotations(page)).map((a) => ({ ...a })).sort((x, y) => x.idx - y.idx);

  await page.goto('/');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Back up Demo project' }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'hyper-backup-')), 'demo-backup.zip');
  await (await download).saveAs(file);
  expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');

  // Restored beside the original, it is a copy.
  await page.getByLabel('Restore a backup').setInputFiles(file);
  await expect(page.getByTestId('restore-done')).toContainText(
    'Restored “Demo project (restored)”: 40 pairs, 2 annotations (the project was still here',
  );
  // Deleted, then restored: the same project as before.
  for (const name of ['Demo project (restored)', 'Demo project']) {
    await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete project?' }).getByRole('button', { name: 'Delete project' }).click();
  }
  await expect(page.getByRole('button', { name: 'Demo project', exact: true })).toHaveCount(0);
  await page.getByLabel('Restore a backup').setInputFiles(file);
  await expect(page.getByTestId('restore-done')).toContainText('Restored “Demo project”: 40 pairs, 2 annotations.');
  await page.getByRole('button', { name: 'Demo project', exact: true }).click();
  await startAnnotating(page, 'ana');
  await expect(page.getByTestId('queue-progress')).toContainText('2 submitted');
  await expect(page.getByTestId('queue-position')).toHaveText('Item 3 of 4');
  expect((await storedAnnotations(page)).sort((x, y) => x.idx - y.idx)).toEqual(before);
  await page.getByRole('link', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('summary-sources')).toHaveText(/^2 \//);

  // A file that is not a backup says so.
  await page.goto('/');
  await page
    .getByLabel('Restore a backup')
    .setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip at all') });
  await expect(page.getByRole('alert').filter({ hasText: 'Could not restore the backup' })).toContainText('notes.zip is not a zip file');
});
