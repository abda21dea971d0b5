// The app is served with its Content-Security-Policy as headers: the document's (no framing by anyone), and
// each worker's own (workers connect only to the app's origin, the analyzer worker to the endpoint the user
// sets). Every other end-to-end test runs under these headers too, so the app is known to work with them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';

test('the document and every worker carry their own policy; the app refuses to be framed', async ({ page, request, baseURL }) => {
  const index = await request.get('/');
  const csp = index.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("default-src 'self'");
  expect(index.headers()['x-frame-options']).toBe('DENY');

  // The worker scripts of the build, found from the page's own chunks.
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((n) => n.endsWith('.js')),
  );
  const main = (await Promise.all(scripts.map((s) => request.get(s).then((r) => r.text())))).join('\n');
  const workers = [...new Set([...main.matchAll(/assets\/([\w-]+-worker-[\w-]+\.js)/g)].map((m) => m[1]!))];
  expect(workers.length).toBeGreaterThanOrEqual(7);
  for (const w of workers) {
    const policy = (await request.get(`/assets/${w}`)).headers()['content-security-policy'] ?? '';
    expect(policy, w).toContain("default-src 'none'");
    if (w.startsWith('analyzer-worker-')) expect(policy, w).toContain("connect-src 'self' http: https:");
    else expect(policy, w).toContain("connect-src 'self' blob: data:");
  }

  // Another origin that frames the app gets nothing of it.
  const framer: Server = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<iframe id="app" src="${baseURL}/"></iframe>`),
  );
  await new Promise<void>((r) => framer.listen(0, '127.0.0.1', r));
  try {
    const other = await page.context().newPage();
    // The load event waits for the iframe too, the browser's refusal page included.
    await other.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`, { waitUntil: 'load' });
    const frame = other.frames().find((f) => f !== other.mainFrame());
    const framed = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(framed).not.toContain('Projects');
    await other.close();
  } finally {
    await new Promise<void>((r) => framer.close(() => r()));
  }
});
