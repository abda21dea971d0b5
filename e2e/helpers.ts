import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';

/** The shared data beside the checkout; real-data tests skip themselves when it is absent. */
export const SHARED_DATA = resolve(process.cwd(), '../shared/data');
export const hasShared = existsSync(SHARED_DATA);
export const sharedPath = (rel: string) => resolve(SHARED_DATA, rel);

export function readJsonl<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** Opens the app and waits until start-up (storage, demo seeding) is done. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Projects' }).getByRole('listitem').first()).toBeVisible();
}

export async function createProject(page: Page, name: string): Promise<void> {
  await page.getByLabel('New project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

/** Chooses a file in the importer and waits for the validation report (or an error). */
export async function chooseFile(page: Page, path: string): Promise<void> {
  await page.getByLabel('Dataset file').setInputFiles(path);
}

/** Counts every stored instance straight from IndexedDB (independent of the app's code). */
export async function countStoredInstances(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolveCount, reject) => {
        const req = indexedDB.open('hyper-workbench');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          // Pairs are stored in blocks: count the rows of every block.
          const blocks = db.transaction('instanceBlocks').objectStore('instanceBlocks').getAll();
          blocks.onsuccess = () => {
            resolveCount((blocks.result as Array<{ rows: unknown[] }>).reduce((n, b) => n + b.rows.length, 0));
            db.close();
          };
          blocks.onerror = () => reject(blocks.error);
        };
      }),
  );
}

/** Text the app shows for a label value of the shared pairs files. */
export const LABEL_TEXT: Record<string, string> = { 'A-is-better': 'A better', 'B-is-better': 'B better', Tie: 'Tie' };
