// Simulated team-mode users over the server's HTTP API, as a browser's outbox behaves: ask for an item, submit
// it with an idempotency key, and when the server cannot be reached (killed, restarting, its database down)
// retry the same request with the same key, on the next server instance when there are several. Used by the
// team server bench and the fault tests; it is a client of the public API only.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * `hyper serve` as a process: on a free port (or `port`), with its embedded database in `dataDir` (a new temporary
 * folder by default) or on the PostgreSQL server `database`. Resolves once it prints the lead's sign-in link.
 */
export function startServer(opts = {}) {
  const dataDir = opts.dataDir ?? join(mkdtempSync(join(tmpdir(), 'hyper-team-')), 'data');
  const where = opts.database ? ['--database', opts.database] : ['--data-dir', dataDir];
  const child = spawn(process.execPath, [join(REPO, 'bin/hyper.mjs'), 'serve', '--port', String(opts.port ?? 0), ...where], { cwd: REPO });
  let out = '';
  return new Promise((ok, bad) => {
    const timer = setTimeout(() => bad(new Error(`hyper serve printed no sign-in link within 90 s:\n${out}`)), 90_000);
    const onExit = (code) => {
      clearTimeout(timer);
      bad(new Error(`hyper serve exited with ${code}:\n${out}`));
    };
    const onData = (d) => {
      out += String(d);
      const link = /(http:\/\/127\.0\.0\.1:\d+\/sign-in\?token=[\w-]+)/.exec(out)?.[1];
      if (!link) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stderr.off('data', onData);
      child.stderr.on('data', (more) => (out += String(more)));
      ok({
        child,
        base: link.replace(/\/sign-in.*/, ''),
        link,
        dataDir,
        log: () => out,
        stop: (signal = 'SIGTERM') =>
          new Promise((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r(child.exitCode);
            child.once('exit', (code) => r(code));
            child.kill(signal);
          }),
      });
    };
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

/** @param {string} base @param {string} link @returns {Promise<string>} the session cookie */
export async function signIn(base, link) {
  const r = await fetch(link.replace(/^http:\/\/[^/]+/, base), { redirect: 'manual' });
  if (r.status !== 303) throw new Error(`sign-in with ${link} gave ${r.status}`);
  return r.headers.get('set-cookie').split(';')[0];
}

/**
 * One API call. Network errors come back as status 0 (the caller decides whether to retry).
 * @returns {Promise<{ status: number, body: any }>}
 */
export async function api(base, cookie, method, path, body) {
  try {
    const r = await fetch(`${base}/api/v1/${path}`, {
      method,
      headers: { cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: r.status, body: parsed };
  } catch (e) {
    return { status: 0, body: String(e?.cause?.code ?? e?.message ?? e) };
  }
}

/** Unique pair texts (no two prompts or responses alike), `n` of them. */
export function uniquePairs(n, seed = 1) {
  let s = seed >>> 0;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const words = ['model', 'answer', 'reward', 'human', 'label', 'judge', 'budget', 'route', 'prompt', 'pair', 'data', 'train'];
  const text = (k) => Array.from({ length: 8 + (k % 7) }, () => words[Math.floor(rnd() * words.length)]).join(' ');
  return Array.from({ length: n }, (_, idx) => ({
    idx,
    id: `pair-${seed}-${idx}`,
    prompt: `${idx}: ${text(idx)}?`,
    responseA: `A${idx} ${text(idx + 1)}.`,
    responseB: `B${idx} ${text(idx + 2)}.`,
    lm: idx % 2 ? 'A>B' : 'B>A',
  }));
}

/** Publishes `pairs` and a plan routing `items` of them with `overlap`; returns the ids. */
export async function publish(base, leadCookie, { pairs, items, overlap, leaseSeconds = 600, name = 'load' }) {
  const d = await api(base, leadCookie, 'POST', 'datasets', { name, pairs });
  if (d.status !== 201) throw new Error(`publishing pairs: ${d.status} ${JSON.stringify(d.body)}`);
  const humanIdx = Array.from({ length: items }, (_, i) => i);
  const p = await api(base, leadCookie, 'POST', 'plans', { datasetId: d.body.datasetId, humanIdx, overlap, leaseSeconds });
  if (p.status !== 201) throw new Error(`publishing the plan: ${p.status} ${JSON.stringify(p.body)}`);
  return { datasetId: d.body.datasetId, planId: p.body.planId };
}

/** Invites `n` annotators into the project and signs each in; returns their names and cookies. */
export async function annotators(base, leadCookie, projectId, n, prefix = 'ann') {
  const out = [];
  for (let i = 0; i < n; i++) {
    const name = `${prefix}${String(i).padStart(3, '0')}`;
    const r = await api(base, leadCookie, 'POST', 'invites', { name, projectId, hours: 2 });
    if (r.status !== 201) throw new Error(`invite ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    out.push({ name, cookie: await signIn(base, r.body.link) });
  }
  return out;
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One annotator working until `until` (ms since the epoch) or until the queue has nothing for them: for each item,
 * a submit with the key `${name}:${idx}`, retried while the answer is a network error or 5xx. `bases` are the
 * server instances, used in turn. Returns the labels the server acknowledged and the submit latencies (ms).
 */
export async function annotate({ bases, who, planId, until, retryMs = 100, labelOf = (idx) => (idx % 3 === 0 ? 'A>B' : 'B>A') }) {
  const acked = [];
  const latencies = [];
  let retries = 0;
  let turn = 0;
  const call = async (method, path, body) => {
    for (;;) {
      const base = bases[turn++ % bases.length];
      const r = await api(base, who.cookie, method, path, body);
      if (r.status !== 0 && r.status < 500) return r;
      retries++;
      if (Date.now() > until + 60_000) throw new Error(`${who.name}: no server answered for a minute (${r.status} ${r.body})`);
      await pause(retryMs);
    }
  };
  while (Date.now() < until) {
    const next = await call('POST', `plans/${planId}/next`, { count: 1 });
    if (next.status !== 200) throw new Error(`${who.name} next: ${next.status} ${JSON.stringify(next.body)}`);
    const item = next.body.items[0];
    if (!item) break;
    const key = `${who.name}:${item.idx}`;
    const started = performance.now();
    const sub = await call('POST', `plans/${planId}/items/${item.idx}/submit`, {
      annotation: { status: 'submitted', overall: labelOf(item.idx), rationale: `${who.name} on ${item.idx}` },
      key,
      device: `${who.name}-device`,
    });
    latencies.push(performance.now() - started);
    if (sub.status !== 200) throw new Error(`${who.name} submit ${item.idx}: ${sub.status} ${JSON.stringify(sub.body)}`);
    acked.push({ idx: item.idx, key, stored: sub.body.stored });
  }
  return { name: who.name, acked, latencies, retries };
}

/** p-th percentile (0..100) of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
