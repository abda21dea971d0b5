// `hyper serve`: the team server. It opens the database (an embedded PostgreSQL in --data-dir by default, or the
// PostgreSQL server of --database), runs the migrations, serves the built app and the API, and prints the lead's
// one-time sign-in link. It runs until stopped (Ctrl-C).
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError } from './args';
import { appInfo } from './merge-command';

export const SERVE_HELP = `hyper serve: the team server (annotators work together through it)

Usage:
  npx hyper serve [--port 8787] [--host 127.0.0.1] [--data-dir DIR] [--database postgres://...]

Serves the built app (npm run build writes dist/) and its API under /api/v1, and prints the project lead's
sign-in link: a one-time token, valid for 24 hours, exchanged for a session cookie. Without --database the data
lives in an embedded PostgreSQL (PGlite) in --data-dir (default ./hyper-data); with --database, in that
PostgreSQL server. The database's schema is migrated at start.

Options:
  --port N          the port (default 8787; 0 picks a free one)
  --host ADDR       the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for the LAN)
  --data-dir DIR    the embedded database's folder (default ./hyper-data)
  --database URL    a PostgreSQL server instead, e.g. postgres://user@db.example:5432/hyper
  --help            this text
`;

/** The folder above this file's (dist-cli/ when bundled, src/ when run from source). */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `hyper serve`; resolves with the exit code when the server stops. */
export async function serveCommand(argv: readonly string[], log: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'port', value: true },
    { name: 'host', value: true },
    { name: 'data-dir', value: true },
    { name: 'database', value: true },
    { name: 'help', value: false },
  ]);
  if (args.help) {
    log(SERVE_HELP);
    return 0;
  }
  const port = args.port === undefined ? 8787 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${JSON.stringify(args.port)}: expected a port number`);
  const host = typeof args.host === 'string' ? args.host : '127.0.0.1';
  if (args.database !== undefined && args['data-dir'] !== undefined) throw new UsageError('give --database or --data-dir, not both');
  const url = typeof args.database === 'string' ? args.database : null;
  if (url !== null && !/^postgres(ql)?:\/\//.test(url))
    throw new UsageError(`--database ${JSON.stringify(url)}: expected a postgres:// URL`);
  const dataDir = resolve(typeof args['data-dir'] === 'string' ? args['data-dir'] : 'hyper-data');
  // The bundle runs from dist-cli/; the built app is dist/ beside it.
  const appDir = [join(ROOT, 'dist'), join(ROOT, '..', 'dist')].find((d) => existsSync(join(d, 'index.html'))) ?? null;
  if (!appDir) log('  no built app found (run "npm run build"): serving the API only');

  // The server's code (the embedded database among it) is loaded only to serve, not for --help or a usage error.
  const [{ createLeadToken }, { openServerDb }, { createRequestHandler }, { migrate }] = await Promise.all([
    import('../server/auth'),
    import('../server/db'),
    import('../server/http'),
    import('../server/migrations'),
  ]);
  if (!url) mkdirSync(dataDir, { recursive: true });
  const db = await openServerDb(url ? { kind: 'postgres', url } : { kind: 'embedded', dataDir });
  const ran = await migrate(db);
  log(
    `database: ${url ? url.replace(/\/\/[^@/]*@/, '//…@') : `embedded PostgreSQL in ${dataDir}`}${ran.length ? ` (migrated: ${ran.join(', ')})` : ''}`,
  );
  const handler = createRequestHandler({ db, appDir, app: appInfo() });
  const server = createServer(handler);
  await new Promise<void>((ok, bad) => {
    server.once('error', bad);
    server.listen(port, host, () => ok());
  });
  const address = server.address();
  const shown = typeof address === 'object' && address ? `${host.includes(':') ? `[${host}]` : host}:${address.port}` : `${host}:${port}`;
  const token = await createLeadToken(db, 24 * 3600_000);
  log(`HyPER Workbench team server on http://${shown}/`);
  log(`  sign in as the project lead (once; valid 24 h): http://${shown}/sign-in?token=${token}`);
  return new Promise<number>((done) => {
    const stop = () => {
      log('stopping: finishing the requests in flight');
      // Event streams stay open until ended: end them so that close() can finish.
      void handler.close().then(() => {
        server.close(() => void db.destroy().then(() => done(0)));
        server.closeIdleConnections();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
