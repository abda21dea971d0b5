// `hyper serve` as a process for the tests (team-mode e2e, faults): on a free port (or a given one), with its
// embedded database in a temporary folder or the PostgreSQL server given; it serves the built app when dist/ is
// there (`npm run test:e2e` builds it first).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TeamServer {
  child: ChildProcess;
  base: string;
  /** The lead's one-time sign-in link. */
  link: string;
  dataDir: string;
  log(): string;
  /** Stops it (SIGTERM: cleanly; SIGKILL: as a crash) and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startTeamServer(opts: { dataDir?: string; database?: string; port?: number } = {}): Promise<TeamServer> {
  const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
  const dataDir = opts.dataDir ?? join(mkdtempSync(join(tmpdir(), 'hyper-team-')), 'data');
  const where = opts.database ? ['--database', opts.database] : ['--data-dir', dataDir];
  const child = spawn(process.execPath, [join(repo, 'bin/hyper.mjs'), 'serve', '--port', String(opts.port ?? 0), ...where], { cwd: repo });
  let out = '';
  return new Promise((ok, bad) => {
    const timer = setTimeout(() => bad(new Error(`hyper serve printed no sign-in link within 90 s:\n${out}`)), 90_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      bad(new Error(`hyper serve exited with ${code}:\n${out}`));
    };
    const onData = (d: Buffer) => {
      out += String(d);
      const link = /(http:\/\/127\.0\.0\.1:\d+\/sign-in\?token=[\w-]+)/.exec(out)?.[1];
      if (!link) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stderr!.off('data', onData);
      child.stderr!.on('data', (more: Buffer) => (out += String(more)));
      ok({
        child,
        base: link.replace(/\/sign-in.*/, ''),
        link,
        dataDir,
        log: () => out,
        stop: (signal: NodeJS.Signals = 'SIGTERM') =>
          new Promise((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r(child.exitCode);
            child.once('exit', (code) => r(code));
            child.kill(signal);
          }),
      });
    };
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}
