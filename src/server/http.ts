// The team server's HTTP surface: the built app as static files, `GET /sign-in?token=` (a one-time token for a
// session cookie), and the JSON API under /api/v1. Every API request needs a valid session (401 without one);
// a state-changing request must come from the server's own origin (403 otherwise); a route for another role is
// 403. Sign-in attempts are rate limited per client address.
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { createInvite, endSession, listInvites, redeemToken, revokeInvite, SESSION_TTL_MS, sessionUser, type SignedIn } from './auth';
import { sql } from 'kysely';
import { asRecord, type ServerDb } from './db';
import { nextItems, publishPairs, publishPlan, releaseItem, submitItem, type PublishedPair } from './queue';
import { doneBy, exportPlan, listProjects, planAnnotations, planFor, planProgress, planRemaining, serverAnnotation } from './projects';
import { notifyPlan, PlanEvents } from './events';
import { EXPORT_FORMATS, isExportFormat } from '../domain/export/formats';
import { cspForPath, SECURITY_HEADERS } from '../domain/csp';

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
  /** Failed sign-in attempts allowed per client address per minute (default 10); more get 429. */
  signInPerMinute?: number;
  /** The app's name and version, for export manifests. */
  app?: { name: string; version: string };
}

/** The request handler, and `close` to end its event streams and stop listening to the database. */
export type RequestHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & { close(): Promise<void> };

function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

const fail = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { error: { code, message } });

const MAX_BODY = 64 * 1024;
/** Published pairs come in batches: at most this many bytes a request. */
const MAX_PAIRS_BODY = 32 * 1024 * 1024;

/** A request's JSON body (at most `max` bytes), or a message saying what is wrong with it. */
async function jsonBody(
  req: IncomingMessage,
  max = MAX_BODY,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string; status?: number }> {
  const declared = Number(req.headers['content-length'] ?? 0);
  let size = 0;
  const chunks: Buffer[] = [];
  const tooLarge = {
    ok: false as const,
    status: 413,
    message: `the request body is over ${Math.round(max / 1024)} KB${max === MAX_PAIRS_BODY ? '; send the pairs in smaller batches' : ''}`,
  };
  if (declared > max) {
    // Said up front: answer at once and close the connection rather than read what will not be used.
    req.resume();
    return tooLarge;
  }
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // The rest is read and dropped (the client gets its answer), nothing of it kept.
    if (size > max) chunks.length = 0;
    else chunks.push(chunk as Buffer);
  }
  if (size > max) return tooLarge;
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

export function createRequestHandler(opts: ServerOptions): RequestHandler {
  const { db } = opts;
  const limit = opts.signInPerMinute ?? 10;
  const attempts = new Map<string, number[]>();

  /**
   * Failed sign-ins per client address in the last minute. Only failures count: a room of annotators behind one
   * address all signing in at once is not refused, while guessing tokens is.
   */
  function failuresOf(req: IncomingMessage, add: boolean): number {
    const who = req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const recent = (attempts.get(who) ?? []).filter((t) => now - t < 60_000);
    if (add) recent.push(now);
    if (recent.length) attempts.set(who, recent);
    else attempts.delete(who);
    return recent.length;
  }

  async function signIn(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (failuresOf(req, false) >= limit) {
      res
        .writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '60' })
        .end('Too many sign-in attempts; wait a minute.');
      return;
    }
    const token = url.searchParams.get('token') ?? '';
    const done = token ? await redeemToken(db, token) : null;
    if (!done) {
      failuresOf(req, true);
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

  const events = new PlanEvents(db);
  let listening: Promise<void> | null = null;

  /** An open event stream (SSE) of a plan: `send` runs now and after every change to the plan. */
  async function stream(req: IncomingMessage, res: ServerResponse, planId: number, send: () => Promise<unknown>): Promise<void> {
    // Started on the first stream; a start that failed (the database was down) is tried again by the next one.
    listening ??= events.start().catch((e: unknown) => {
      listening = null;
      throw e;
    });
    await listening;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    let busy = false;
    let again = false;
    const push = async (): Promise<void> => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          const data = await send();
          if (!res.writableEnded) res.write(`data: ${JSON.stringify(data)}\n\n`);
        } while (again);
      } catch (e) {
        if (!res.writableEnded)
          res.write(`event: problem\ndata: ${JSON.stringify({ message: e instanceof Error ? e.message : String(e) })}\n\n`);
      } finally {
        busy = false;
      }
    };
    const unsubscribe = events.subscribe(planId, () => void push());
    // A comment now and then keeps proxies from closing an idle stream.
    const beat = setInterval(() => res.write(': still here\n\n'), 25_000);
    openStreams.add(res);
    const end = () => {
      clearInterval(beat);
      unsubscribe();
      openStreams.delete(res);
    };
    req.once('close', end);
    await push();
  }
  const openStreams = new Set<ServerResponse>();

  /** One computation for all the streams that ask at about the same time (one change reaches them together). */
  const inFlight = new Map<string, { at: number; value: Promise<unknown> }>();
  function shared(key: string, compute: () => Promise<unknown>): Promise<unknown> {
    const hit = inFlight.get(key);
    if (hit && Date.now() - hit.at < 100) return hit.value;
    const value = compute();
    inFlight.set(key, { at: Date.now(), value });
    value.catch(() => inFlight.delete(key));
    return value;
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && !sameOrigin(req))
      return fail(res, 403, 'bad-origin', "Requests that change data must come from this server's own pages.");
    const secret = cookieOf(req, SESSION_COOKIE);
    const user: SignedIn | null = secret ? await sessionUser(db, secret) : null;
    if (!user || !secret) return fail(res, 401, 'unauthenticated', 'Sign in first: open the sign-in link the project lead gave you.');
    const lead = user.role === 'lead';
    const leadOnly = (what: string) => fail(res, 403, 'forbidden', `Only the project lead ${what}.`);
    if (path === 'me' && method === 'GET') return json(res, 200, { user });
    if (path === 'sign-out' && method === 'POST') {
      await endSession(db, secret, user.id);
      return json(res, 200, { ok: true }, { 'Set-Cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    }
    if (path === 'projects' && method === 'GET') return json(res, 200, { projects: await listProjects(db, user) });
    const guide = /^projects\/(\d+)\/guidelines$/.exec(path);
    if (guide && method === 'POST') {
      if (!lead) return leadOnly('writes the guidelines');
      const body = await jsonBody(req, 256 * 1024);
      if (!body.ok) return fail(res, body.status ?? 400, body.status ? 'too-large' : 'bad-request', body.message);
      const text = (body.value as { guidelines?: unknown } | null)?.guidelines;
      if (typeof text !== 'string' || text.length > 200_000)
        return fail(res, 400, 'bad-request', '"guidelines" must be text (Markdown, at most 200,000 characters)');
      const r = await db.updateTable('datasets').set({ guidelines: text }).where('id', '=', Number(guide[1])).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return fail(res, 404, 'not-found', `No project ${guide[1]}.`);
      await db
        .insertInto('audit_log')
        .values({
          user_id: user.id,
          action: 'guidelines-updated',
          detail: JSON.stringify({ project: Number(guide[1]), chars: text.length }),
        })
        .execute();
      return json(res, 200, { ok: true });
    }
    if (path === 'invites' || path.startsWith('invites/')) {
      if (!lead) return leadOnly('manages invites');
      if (path === 'invites' && method === 'GET') {
        const project = url.searchParams.get('project');
        return json(res, 200, { invites: await listInvites(db, project === null ? undefined : Number(project)) });
      }
      if (path === 'invites' && method === 'POST') {
        const body = await jsonBody(req);
        if (!body.ok) return fail(res, body.status ?? 400, body.status ? 'too-large' : 'bad-request', body.message);
        const b = body.value as { name?: unknown; hours?: unknown; projectId?: unknown } | null;
        const name = typeof b?.name === 'string' ? b.name.trim() : '';
        if (!name || name.length > 100 || [...name].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127))
          return fail(res, 400, 'bad-request', '"name" must be the annotator\'s name (1 to 100 characters, no control characters)');
        const hours = b?.hours === undefined ? 72 : Number(b.hours);
        if (!(hours > 0 && hours <= 24 * 30)) return fail(res, 400, 'bad-request', '"hours" must be a number of hours from 0 to 720');
        const projectId = Number(b?.projectId);
        const project = Number.isSafeInteger(projectId)
          ? await db.selectFrom('datasets').select('id').where('id', '=', projectId).executeTakeFirst()
          : undefined;
        if (!project)
          return fail(res, 400, 'bad-request', `"projectId" must name a published project, got ${JSON.stringify(b?.projectId)}`);
        const invite = await createInvite(db, user, name, projectId, hours * 3600_000);
        if (!invite)
          return fail(
            res,
            409,
            'name-taken',
            `The project already has an annotator named "${name}": give each annotator a name of their own.`,
          );
        return json(res, 201, {
          id: invite.id,
          name,
          projectId,
          expiresAt: invite.expiresAt.toISOString(),
          link: `http://${req.headers.host}/sign-in?token=${invite.token}`,
        });
      }
      const revoke = /^invites\/([^/]+)\/revoke$/.exec(path);
      if (revoke && method === 'POST')
        return (await revokeInvite(db, user, revoke[1]!))
          ? json(res, 200, { ok: true })
          : fail(res, 404, 'not-found', `No pending invite ${revoke[1]}: it was used, revoked, or never made.`);
      return fail(res, 404, 'not-found', `No API route ${method} /api/v1/${path}.`);
    }
    if (path === 'datasets' && method === 'POST') {
      if (!lead) return leadOnly('publishes datasets');
      const body = await jsonBody(req, MAX_PAIRS_BODY);
      if (!body.ok) return fail(res, body.status ?? 400, body.status ? 'too-large' : 'bad-request', body.message);
      const b = body.value as { name?: unknown; datasetId?: unknown; pairs?: unknown; guidelines?: unknown } | null;
      const checked = checkPairs(b?.pairs);
      if (typeof checked === 'string') return fail(res, 400, 'bad-request', checked);
      const name = typeof b?.name === 'string' && b.name.trim() ? b.name.trim().slice(0, 200) : 'dataset';
      if (b?.guidelines !== undefined && (typeof b.guidelines !== 'string' || b.guidelines.length > 200_000))
        return fail(res, 400, 'bad-request', '"guidelines" must be text (Markdown, at most 200,000 characters)');
      const datasetId = b?.datasetId === undefined ? undefined : Number(b.datasetId);
      if (datasetId !== undefined) {
        if (
          !Number.isSafeInteger(datasetId) ||
          !(await db.selectFrom('datasets').select('id').where('id', '=', datasetId).executeTakeFirst())
        )
          return fail(res, 404, 'not-found', `No published dataset ${JSON.stringify(b?.datasetId)} to add pairs to.`);
        // By range, then by position here: a batch can list more positions than a statement takes parameters.
        const positions = new Set(checked.map((p) => p.idx));
        let lo = Infinity;
        let hi = -Infinity;
        for (const i of positions) [lo, hi] = [Math.min(lo, i), Math.max(hi, i)];
        const stored = await db
          .selectFrom('pairs')
          .select('idx')
          .where('dataset_id', '=', datasetId)
          .where('idx', '>=', lo)
          .where('idx', '<=', hi)
          .execute();
        const clash = stored.find((r) => positions.has(r.idx));
        if (clash)
          return fail(
            res,
            409,
            'already-published',
            `Pair ${clash.idx} of dataset ${datasetId} is published already; nothing of this batch was stored.`,
          );
      }
      const positions = new Set(checked.map((p) => p.idx));
      if (positions.size !== checked.length) return fail(res, 400, 'bad-request', '"pairs" lists a dataset position twice');
      const id = await publishPairs(db, user.id, name, checked, datasetId, b?.guidelines as string | undefined);
      return json(res, 201, { datasetId: id });
    }
    if (path === 'plans' && method === 'POST') {
      if (!lead) return leadOnly('publishes plans');
      const body = await jsonBody(req, MAX_PAIRS_BODY);
      if (!body.ok) return fail(res, body.status ?? 400, body.status ? 'too-large' : 'bad-request', body.message);
      const b = body.value as {
        datasetId?: unknown;
        humanIdx?: unknown;
        overlap?: unknown;
        leaseSeconds?: unknown;
        name?: unknown;
        planFile?: unknown;
      } | null;
      const fromFile = (b?.planFile as { human?: { idx?: unknown }[] } | undefined)?.human;
      const humanIdx = b?.humanIdx ?? (Array.isArray(fromFile) ? fromFile.map((h) => h?.idx) : undefined);
      if (!Array.isArray(humanIdx) || !humanIdx.every((i) => Number.isInteger(i) && i >= 0) || new Set(humanIdx).size !== humanIdx.length)
        return fail(res, 400, 'bad-request', '"humanIdx" (or "planFile.human") must list distinct dataset positions in routing order');
      const overlap = b?.overlap === undefined ? 1 : Number(b.overlap);
      if (!Number.isInteger(overlap) || overlap < 1 || overlap > 20)
        return fail(res, 400, 'bad-request', '"overlap" must be 1 to 20 annotators per item');
      const leaseSeconds = b?.leaseSeconds === undefined ? 1800 : Number(b.leaseSeconds);
      if (!Number.isInteger(leaseSeconds) || leaseSeconds < 10 || leaseSeconds > 7 * 86400)
        return fail(res, 400, 'bad-request', '"leaseSeconds" must be a whole number of seconds, from 10 to 604,800 (a week)');
      if (b?.name !== undefined && (typeof b.name !== 'string' || b.name.length > 200))
        return fail(res, 400, 'bad-request', '"name" must be text of at most 200 characters');
      const datasetId = Number(b?.datasetId);
      const published = Number.isSafeInteger(datasetId)
        ? await db
            .selectFrom('pairs')
            .select([sql<number>`count(*)::int`.as('n'), sql<number>`max(idx)`.as('last')])
            .where('dataset_id', '=', datasetId)
            .executeTakeFirst()
        : undefined;
      if (!published?.n)
        return fail(res, 404, 'not-found', `No published dataset ${String(b?.datasetId)} with pairs: publish its pairs first.`);
      if (published.n !== Number(published.last) + 1)
        return fail(
          res,
          409,
          'incomplete',
          `Dataset ${datasetId} has ${published.n} pairs published but positions up to ${published.last}: publish the missing batches first.`,
        );
      const beyond = (humanIdx as number[]).find((i) => i >= published.n);
      if (beyond !== undefined)
        return fail(res, 400, 'bad-request', `"humanIdx" names pair ${beyond}, but the dataset's pairs end at ${published.n - 1}`);
      const planId = await publishPlan(db, user.id, {
        datasetId,
        humanIdx: humanIdx as number[],
        overlap,
        leaseSeconds,
        ...(typeof b?.name === 'string' ? { name: b.name } : {}),
        ...(b?.planFile !== undefined ? { planFile: b.planFile } : {}),
      });
      return json(res, 201, { planId });
    }
    const m = /^plans\/(\d+)(?:\/(.*))?$/.exec(path);
    if (m) {
      const plan = await planFor(db, user, Number(m[1]));
      // Another project's plan reads as no plan at all: nothing says it exists.
      if (!plan) return fail(res, 404, 'not-found', `No plan ${m[1]} in your project.`);
      const rest = m[2] ?? '';
      if (rest === '' && method === 'GET') {
        const project = await db
          .selectFrom('datasets')
          .select(['name', 'guidelines'])
          .where('id', '=', plan.datasetId)
          .executeTakeFirstOrThrow();
        const shown = {
          id: plan.id,
          name: plan.name,
          overlap: plan.overlap,
          leaseSeconds: plan.leaseSeconds,
          projectId: plan.datasetId,
          project: project.name,
          guidelines: project.guidelines,
        };
        return json(res, 200, { plan: lead ? { ...shown, planFile: plan.planFile } : shown });
      }
      if (rest === 'next' && method === 'POST') {
        const body = await jsonBody(req);
        if (!body.ok) return fail(res, body.status ?? 400, body.status ? 'too-large' : 'bad-request', body.message);
        const count = (body.value as { count?: unknown } | null)?.count ?? 1;
        if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 20)
          return fail(res, 400, 'bad-request', '"count" must be 1 to 20 items to hold at once');
        const items = await nextItems(db, plan.id, user.id, count as number);
        await notifyPlan(db, plan.id);
        return json(res, 200, { items, done: await doneBy(db, plan.id, user.id) });
      }
      const item = /^items\/(\d+)\/(submit|release)$/.exec(rest);
      if (item && method === 'POST') {
        const idx = Number(item[1]);
        const body = await jsonBody(req);
        if (!body.ok) return fail(res, body.status ?? 400, body.status ? 'too-large' : 'bad-request', body.message);
        const b = body.value as { annotation?: unknown; key?: unknown; device?: unknown } | null;
        if (item[2] === 'release') {
          const released = await releaseItem(db, plan.id, user.id, idx);
          if (released) await notifyPlan(db, plan.id);
          return json(res, 200, { released });
        }
        if (typeof b?.key !== 'string' || b.key.length < 8 || b.key.length > 200)
          return fail(res, 400, 'bad-request', '"key" (the idempotency key, 8 to 200 characters) is required');
        if (b.device !== undefined && (typeof b.device !== 'string' || b.device.length < 8 || b.device.length > 200))
          return fail(res, 400, 'bad-request', '"device" must be the browser\'s device id (8 to 200 characters)');
        const pair = await db
          .selectFrom('pairs')
          .select('pair_id')
          .where('dataset_id', '=', plan.datasetId)
          .where('idx', '=', idx)
          .executeTakeFirst();
        if (!pair) return fail(res, 404, 'not-assigned', 'This item was never handed to you in this plan.');
        const annotation = serverAnnotation(b.annotation, { planId: plan.id, idx, instanceId: pair.pair_id, annotator: user.name });
        if (typeof annotation === 'string') return fail(res, 400, 'bad-request', annotation);
        const r = await submitItem(db, plan.id, user.id, idx, annotation, b.key, (b.device as string | undefined) ?? null);
        if (r.status === 'not-assigned') return fail(res, 404, 'not-assigned', 'This item was never handed to you in this plan.');
        if (r.status === 'taken')
          return fail(
            res,
            409,
            'taken',
            'Your lease on this item ran out and it went to other annotators; your label was not stored here, keep it.',
          );
        if (r.status === 'conflict')
          return json(res, 409, {
            error: {
              code: 'conflict',
              message:
                'You already submitted this item from another device. Both versions are kept (this one apart, for the lead); nothing was overwritten.',
            },
            current: r.current,
          });
        if (r.status === 'stored') await notifyPlan(db, plan.id);
        return json(res, 200, { stored: r.status === 'stored' ? 'now' : 'before', done: await doneBy(db, plan.id, user.id) });
      }
      if (rest === 'events' && method === 'GET')
        // What a change costs is paid once per plan and instance, whoever is watching: the lead's progress, and
        // for annotators the labels the plan still wants (their own queue they ask for with `next`).
        return stream(req, res, plan.id, () =>
          shared(`${lead ? 'progress' : 'remaining'}:${plan.id}`, () => (lead ? planProgress(db, plan) : planRemaining(db, plan))),
        );
      if (!lead) return leadOnly('sees the whole plan');
      if (rest === 'progress' && method === 'GET') return json(res, 200, { progress: await planProgress(db, plan) });
      if (rest === 'annotations' && method === 'GET') return json(res, 200, { annotations: await planAnnotations(db, plan.id) });
      if (rest === 'conflicts' && method === 'GET') {
        const rows = await db
          .selectFrom('conflicts as c')
          .innerJoin('users as u', 'u.id', 'c.annotator_id')
          .select(['c.id', 'c.at', 'c.idx', 'u.name', 'c.device_id', 'c.annotation'])
          .where('c.plan_id', '=', plan.id)
          .orderBy('c.id')
          .execute();
        return json(res, 200, { conflicts: rows.map((r) => ({ ...r, id: String(r.id), annotation: asRecord(r.annotation) })) });
      }
      if (rest === 'export' && method === 'GET') {
        const format = url.searchParams.get('format') ?? 'trl';
        if (!isExportFormat(format))
          return fail(res, 400, 'bad-request', `"format" must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
        // Streamed as it is written (a large dataset is never whole in memory); a failure half-way cuts the
        // connection, so the client sees an error, never a truncated zip that looks whole.
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': 'application/zip',
          'Cache-Control': 'no-store',
          'Content-Disposition': `attachment; filename="plan-${plan.id}-hybrid-${format}.zip"`,
        });
        try {
          await exportPlan(
            db,
            plan,
            format,
            async (bytes) => {
              if (res.destroyed) throw new Error('the client went away');
              if (!res.write(bytes))
                await new Promise<void>((r) => {
                  res.once('drain', () => r());
                  res.once('close', () => r());
                });
            },
            opts.app ?? { name: 'hyper-workbench', version: 'server' },
          );
        } catch (e) {
          console.error(`hyper serve: export of plan ${plan.id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          res.destroy();
          return;
        }
        res.end();
        await db
          .insertInto('audit_log')
          .values({ user_id: user.id, action: 'exported', detail: JSON.stringify({ plan: plan.id, format }) })
          .execute();
        return;
      }
      return fail(res, 404, 'not-found', `No API route ${method} /api/v1/${path}.`);
    }
    if (path === 'audit' && method === 'GET') {
      if (!lead) return leadOnly('sees the audit log');
      const rows = await db
        .selectFrom('audit_log as l')
        .leftJoin('users as u', 'u.id', 'l.user_id')
        .select(['l.id', 'l.at', 'l.action', 'l.detail', 'u.name', 'u.role'])
        .orderBy('l.id', 'desc')
        .limit(Math.min(5000, Math.max(1, Number(url.searchParams.get('limit') ?? 500) || 500)))
        .execute();
      return json(res, 200, { entries: rows.map((r) => ({ ...r, id: String(r.id), detail: asRecord(r.detail) })) });
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
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Security-Policy': cspForPath(target),
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      fail(res, 404, 'not-found', 'Not found.');
    }
  }

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', 'http://server');
      if (url.pathname === '/sign-in' && req.method === 'GET') return await signIn(req, res, url);
      if (url.pathname.startsWith('/api/v1/')) return await api(req, res, url.pathname.slice('/api/v1/'.length), url);
      if (url.pathname.startsWith('/api/')) return fail(res, 404, 'not-found', 'The API is under /api/v1.');
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method', 'Only GET here.');
      return await file(res, url.pathname);
    } catch (e) {
      // The cause goes to the server's log, not to the client (it can name tables and queries).
      console.error(`hyper serve: ${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) fail(res, 500, 'server-error', 'The server could not do this; its log says why.');
      else res.end();
    }
  };
  return Object.assign(handler, {
    async close() {
      for (const r of openStreams) r.end();
      openStreams.clear();
      await events.close();
    },
  });
}
