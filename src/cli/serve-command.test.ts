// `hyper serve` as a user starts it: a process on a free port with an embedded database in a folder; it prints the
// lead's sign-in link, the link gives a session once, a restart keeps the data (no migration runs twice), and
// SIGTERM stops it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { capture, restoreOutputAfterEach } from './test-helpers';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
restoreOutputAfterEach();

function start(dataDir: string): Promise<{ child: ChildProcess; link: string; log: () => string }> {
  const child = spawn(process.execPath, [join(REPO, 'bin/hyper.mjs'), 'serve', '--port', '0', '--data-dir', dataDir], { cwd: REPO });
  let err = '';
  return new Promise((ok, bad) => {
    const timer = setTimeout(() => bad(new Error(`no sign-in link within 60 s:\n${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += String(d);
      const link = /(http:\/\/127\.0\.0\.1:\d+\/sign-in\?token=[\w-]+)/.exec(err)?.[1];
      if (link) {
        clearTimeout(timer);
        ok({ child, link, log: () => err });
      }
    });
    child.once('exit', (code) => bad(new Error(`exited with ${code}:\n${err}`)));
  });
}

const stop = (child: ChildProcess) => new Promise<number | null>((r) => (child.once('exit', (code) => r(code)), child.kill('SIGTERM')));

describe('hyper serve', () => {
  it('prints a one-time lead link, keeps its data across a restart, and stops on SIGTERM', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'hyper-serve-')), 'data');
    const first = await start(dataDir);
    expect(first.log()).toContain('migrated: 0001-users-sessions, 0002-sign-in-tokens-audit');
    const base = first.link.replace(/\/sign-in.*/, '');
    expect((await fetch(`${base}/api/v1/me`)).status).toBe(401);
    const signIn = await fetch(first.link, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const session = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${base}/api/v1/me`, { headers: { cookie: session } })).status).toBe(200);
    expect((await fetch(first.link, { redirect: 'manual' })).status).toBe(401);
    expect(await stop(first.child)).toBe(0);
    // The same folder again: nothing to migrate, the session made before still holds.
    const second = await start(dataDir);
    expect(second.log()).not.toContain('migrated');
    const base2 = second.link.replace(/\/sign-in.*/, '');
    expect((await fetch(`${base2}/api/v1/me`, { headers: { cookie: session } })).status).toBe(200);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);

  it('refuses bad options before it opens anything', async () => {
    const io = capture();
    expect(await main(['serve', '--port', 'abc'])).toBe(2);
    expect(await main(['serve', '--database', 'mysql://x', '--port', '1'])).toBe(2);
    expect(await main(['serve', '--database', 'postgres://x/y', '--data-dir', 'd'])).toBe(2);
    expect(io.err()).toContain('--port "abc": expected a port number');
    expect(io.err()).toContain('--database "mysql://x": expected a postgres:// URL');
    expect(io.err()).toContain('give --database or --data-dir, not both');
  });
});
