// The team server's HTTP surface: the built app as static files, `GET /sign-in?token=` (a one-time token for a
// session cookie), and the JSON API under /api/v1. Every API request needs a valid session (401 without one);
// a state-changing request must come from the server's own origin (403 otherwise); a route for another role is
// 403. Sign-in attempts are rate limited per client address.
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { createInvite, endSession, listInvites, redeemToken, revokeInvite, SESSION_TTL_MS, sessionUser, type SignedIn } from './auth';
import { sql } from 'kysely';
import type { ServerDb } from './db';
import { nextItem, publishPairs, publishPlan, submitItem, type PublishedPair } from './queue';

export const SESSION_COOKIE = 'hyper_session';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ServerOptions {
  db: ServerDb;
  /** The built app (vite build's dist/); null serves the API only. */
  appDir: string | null;
  /** Sign-in attempts per client address per minute (default 10). */
  signInPerMinute?: number;
}

function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const fail = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { error: { code, message } });

const MAX_BODY = 64 * 1024;
/** Published pairs come in batches: at most this many bytes a request. */
const MAX_PAIRS_BODY = 32 * 1024 * 1024;

/** A request's JSON body (at most `max` bytes), or a message saying what is wrong with it. */
async function jsonBody(req: IncomingMessage, max = MAX_BODY): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max)
      return { ok: false, message: `the request body is over ${Math.round(max / 1024)} KB; send the pairs in smaller batches` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch (e) {
    return { ok: false, message: `the request body is not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Whether a request comes from this server's own origin (the Origin header, else Referer, must match Host). */
function sameOrigin(req: IncomingMessage): boolean {
  const from = req.headers.origin ?? req.headers.referer;
  if (!from || !req.headers.host) return false;
  try {
    return new URL(from).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Checks published pairs: {idx, id, prompt, responseA, responseB, lm?} each. Returns them, or what is wrong. */
function checkPairs(value: unknown): PublishedPair[] | string {
  if (!Array.isArray(value) || value.length === 0)
    return '"pairs" must be a non-empty list of {idx, id, prompt, responseA, responseB, lm?}';
  for (let i = 0; i < value.length; i++) {
    const p = value[i] as Record<string, unknown> | null;
    if (!p || !Number.isInteger(p.idx) || (p.idx as number) < 0) return `pairs[${i}].idx must be a dataset position`;
    for (const k of ['id', 'prompt', 'responseA', 'responseB'] as const)
      if (typeof p[k] !== 'string') return `pairs[${i}].${k} must be text`;
    if (p.lm !== undefined && p.lm !== null && typeof p.lm !== 'string') return `pairs[${i}].lm must be a label or null`;
  }
  return (value as PublishedPair[]).map((p) => ({ ...p, lm: p.lm ?? null }));
}

export function createRequestHandler(opts: ServerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { db } = opts;
  const limit = opts.signInPerMinute ?? 10;
  const attempts = new Map<string, number[]>();

  function rateLimited(req: IncomingMessage): boolean {
    const who = req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const recent = (attempts.get(who) ?? []).filter((t) => now - t < 60_000);
    recent.push(now);
    attempts.set(who, recent);
    return recent.length > limit;
  }

  async function signIn(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (rateLimited(req)) {
      res
        .writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '60' })
        .end('Too many sign-in attempts; wait a minute.');
      return;
    }
    const token = url.searchParams.get('token') ?? '';
    const done = token ? await redeemToken(db, token) : null;
    if (!done) {
      res
        .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
        .end('This sign-in link is not valid: it was used already, revoked, or has expired. Ask the project lead for a new one.');
      return;
    }
    res.writeHead(303, {
      Location: '/',
      'Cache-Control': 'no-store',
      'Set-Cookie': `${SESSION_COOKIE}=${done.secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`,
    });
    res.end();
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && !sameOrigin(req))
      return fail(res, 403, 'bad-origin', "Requests that change data must come from this server's own pages.");
    const secret = cookieOf(req, SESSION_COOKIE);
    const user: SignedIn | null = secret ? await sessionUser(db, secret) : null;
    if (!user || !secret) return fail(res, 401, 'unauthenticated', 'Sign in first: open the sign-in link the project lead gave you.');
    if (path === 'me' && method === 'GET') return json(res, 200, { user });
    if (path === 'sign-out' && method === 'POST') {
      await endSession(db, secret, user.id);
      return json(res, 200, { ok: true }, { 'Set-Cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    }
    if (path === 'invites' || path.startsWith('invites/')) {
      if (user.role !== 'lead') return fail(res, 403, 'forbidden', 'Only the project lead manages invites.');
      if (path === 'invites' && method === 'GET') return json(res, 200, { invites: await listInvites(db) });
      if (path === 'invites' && method === 'POST') {
        const body = await jsonBody(req);
        if (!body.ok) return fail(res, 400, 'bad-request', body.message);
        const b = body.value as { name?: unknown; hours?: unknown } | null;
        const name = typeof b?.name === 'string' ? b.name.trim() : '';
        if (!name || name.length > 100) return fail(res, 400, 'bad-request', '"name" must be the annotator\'s name (1 to 100 characters)');
        const hours = b?.hours === undefined ? 72 : Number(b.hours);
        if (!(hours > 0 && hours <= 24 * 30)) return fail(res, 400, 'bad-request', '"hours" must be a number of hours from 0 to 720');
        const invite = await createInvite(db, user, name, hours * 3600_000);
        return json(res, 201, {
          id: invite.id,
          name,
          expiresAt: invite.expiresAt.toISOString(),
          link: `http://${req.headers.host}/sign-in?token=${invite.token}`,
        });
      }
      const revoke = /^invites\/([^/]+)\/revoke$/.exec(path);
      if (revoke && method === 'POST')
        return (await revokeInvite(db, user, revoke[1]!))
          ? json(res, 200, { ok: true })
          : fail(res, 404, 'not-found', `No pending invite ${revoke[1]}: it was used, revoked, or never made.`);
    }
    if (path === 'datasets' && method === 'POST') {
      if (user.role !== 'lead') return fail(res, 403, 'forbidden', 'Only the project lead publishes datasets.');
      const body = await jsonBody(req, MAX_PAIRS_BODY);
      if (!body.ok) return fail(res, 400, 'bad-request', body.message);
      const b = body.value as { name?: unknown; datasetId?: unknown; pairs?: unknown } | null;
      const checked = checkPairs(b?.pairs);
      if (typeof checked === 'string') return fail(res, 400, 'bad-request', checked);
      const name = typeof b?.name === 'string' && b.name.trim() ? b.name.trim() : 'dataset';
      const datasetId = b?.datasetId === undefined ? undefined : Number(b.datasetId);
      if (datasetId !== undefined && !Number.isInteger(datasetId)) return fail(res, 400, 'bad-request', '"datasetId" must be a dataset id');
      return json(res, 201, { datasetId: await publishPairs(db, user.id, name, checked, datasetId) });
    }
    if (path === 'plans' && method === 'POST') {
      if (user.role !== 'lead') return fail(res, 403, 'forbidden', 'Only the project lead publishes plans.');
      const body = await jsonBody(req, MAX_PAIRS_BODY);
      if (!body.ok) return fail(res, 400, 'bad-request', body.message);
      const b = body.value as { datasetId?: unknown; humanIdx?: unknown; overlap?: unknown; leaseSeconds?: unknown } | null;
      const humanIdx = b?.humanIdx;
      if (!Array.isArray(humanIdx) || !humanIdx.every((i) => Number.isInteger(i) && i >= 0) || new Set(humanIdx).size !== humanIdx.length)
        return fail(res, 400, 'bad-request', '"humanIdx" must list distinct dataset positions in routing order');
      const overlap = b?.overlap === undefined ? 1 : Number(b.overlap);
      if (!Number.isInteger(overlap) || overlap < 1 || overlap > 20)
        return fail(res, 400, 'bad-request', '"overlap" must be 1 to 20 annotators per item');
      const leaseSeconds = b?.leaseSeconds === undefined ? 1800 : Number(b.leaseSeconds);
      if (!Number.isInteger(leaseSeconds) || leaseSeconds < 10)
        return fail(res, 400, 'bad-request', '"leaseSeconds" must be a whole number of seconds, at least 10');
      const datasetId = Number(b?.datasetId);
      const n = Number.isInteger(datasetId)
        ? (
            await db
              .selectFrom('pairs')
              .select(sql<number>`max(idx) + 1`.as('n'))
              .where('dataset_id', '=', datasetId)
              .executeTakeFirst()
          )?.n
        : null;
      if (!n) return fail(res, 404, 'not-found', `No published dataset ${String(b?.datasetId)} with pairs: publish its pairs first.`);
      const beyond = (humanIdx as number[]).find((i) => i >= n);
      if (beyond !== undefined)
        return fail(res, 400, 'bad-request', `"humanIdx" names pair ${beyond}, but the dataset's pairs end at ${n - 1}`);
      const planId = await publishPlan(db, user.id, { datasetId, humanIdx: humanIdx as number[], overlap, leaseSeconds });
      return json(res, 201, { planId });
    }
    const next = /^plans\/(\d+)\/next$/.exec(path);
    if (next && method === 'POST') {
      const item = await nextItem(db, Number(next[1]), user.id);
      return item ? json(res, 200, { item }) : json(res, 200, { item: null, message: 'Nothing left in this queue for you.' });
    }
    const submit = /^plans\/(\d+)\/items\/(\d+)\/submit$/.exec(path);
    if (submit && method === 'POST') {
      const body = await jsonBody(req);
      if (!body.ok) return fail(res, 400, 'bad-request', body.message);
      const b = body.value as { annotation?: unknown; key?: unknown } | null;
      if (typeof b?.key !== 'string' || b.key.length < 8 || b.key.length > 200)
        return fail(res, 400, 'bad-request', '"key" (the idempotency key, 8 to 200 characters) is required');
      if (b.annotation === undefined || b.annotation === null) return fail(res, 400, 'bad-request', '"annotation" is required');
      const r = await submitItem(db, Number(submit[1]), user.id, Number(submit[2]), b.annotation, b.key);
      if (r === 'not-assigned') return fail(res, 404, 'not-assigned', 'This item was never handed to you in this plan.');
      if (r === 'taken')
        return fail(
          res,
          409,
          'taken',
          'Your lease on this item ran out and it went to other annotators; your label was not stored here, keep it.',
        );
      if (r === 'conflict')
        return fail(
          res,
          409,
          'conflict',
          'You already submitted this item from another device; both versions are kept apart, nothing was overwritten.',
        );
      return json(res, 200, { stored: r === 'stored' ? 'now' : 'before' });
    }
    if (path === 'audit' && method === 'GET') {
      if (user.role !== 'lead') return fail(res, 403, 'forbidden', 'Only the project lead sees the audit log.');
      const rows = await db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(200).execute();
      return json(res, 200, { entries: rows });
    }
    return fail(res, 404, 'not-found', `No API route ${method} /api/v1/${path}.`);
  }

  async function file(res: ServerResponse, path: string): Promise<void> {
    if (!opts.appDir) return fail(res, 404, 'not-found', 'This server serves the API only.');
    const root = normalize(opts.appDir);
    let target = normalize(join(root, decodeURIComponent(path)));
    if (target !== root && !target.startsWith(root + sep)) return fail(res, 404, 'not-found', 'Not found.');
    try {
      if ((await stat(target)).isDirectory()) target = join(target, 'index.html');
    } catch {
      // The app routes by hash: anything else that is not a file is the app's page.
      target = join(root, 'index.html');
    }
    try {
      const body = await readFile(target);
      res.writeHead(200, { 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream', 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
    } catch {
      fail(res, 404, 'not-found', 'Not found.');
    }
  }

  return async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://server');
      if (url.pathname === '/sign-in' && req.method === 'GET') return await signIn(req, res, url);
      if (url.pathname.startsWith('/api/v1/')) return await api(req, res, url.pathname.slice('/api/v1/'.length));
      if (url.pathname.startsWith('/api/')) return fail(res, 404, 'not-found', 'The API is under /api/v1.');
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method', 'Only GET here.');
      return await file(res, url.pathname);
    } catch (e) {
      if (!res.headersSent) fail(res, 500, 'server-error', e instanceof Error ? e.message : String(e));
      else res.end();
    }
  };
}
