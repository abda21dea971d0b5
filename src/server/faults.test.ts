// The team server under faults, with annotators that behave like the app's outbox (retry with the same
// idempotency key): the server killed (SIGKILL) in the middle of submissions and started again on its data;
// PostgreSQL restarted under two server instances that share it. Checked against the database itself, not the
// API: every acknowledged label stored once, no item given to more annotators than the overlap, nothing else.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  annotate,
  annotators,
  api,
  publish,
  signIn,
  startServer as startTeamServer,
  uniquePairs,
  type Acked,
  type TeamServer,
} from '../../bench/team-load.mjs';

const freePort = () =>
  new Promise<number>((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });

async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Row {
  idx: number;
  name: string;
  key: string | null;
  submitted: boolean;
}

/** What the database holds for the plan, checked against what the annotators were told. */
function checkStored(rows: readonly Row[], acked: readonly Acked[], overlap: number, items: number): void {
  const submitted = rows.filter((r) => r.submitted);
  // Every acknowledged label is there, under its own key, once.
  const byKey = new Map(submitted.map((r) => [r.key, r]));
  for (const a of acked) expect(byKey.get(a.key), `label ${a.key}`).toMatchObject({ idx: a.idx });
  expect(new Set(acked.map((a) => a.key)).size).toBe(acked.length);
  expect(submitted).toHaveLength(acked.length);
  // No annotator holds an item twice (the primary key says so too), no item has more labels than the overlap.
  expect(new Set(rows.map((r) => `${r.name}|${r.idx}`)).size).toBe(rows.length);
  const perItem = new Map<number, number>();
  for (const r of submitted) perItem.set(r.idx, (perItem.get(r.idx) ?? 0) + 1);
  expect(Math.max(...perItem.values())).toBeLessThanOrEqual(overlap);
  // The queue was worked to the end: every item has its labels.
  expect(perItem.size).toBe(items);
  expect([...perItem.values()].every((n) => n === overlap)).toBe(true);
}

const ROWS_SQL = `select a.idx, u.name, a.idempotency_key as key, a.submitted_at is not null as submitted
  from assignments a join users u on u.id = a.annotator_id where a.plan_id = $1 order by a.idx, u.name`;

describe('team server faults', () => {
  const servers: TeamServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
  });

  it('killed (SIGKILL) in the middle of submissions and started again: nothing lost, nothing twice, none over-assigned', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'hyper-fault-')), 'data');
    const port = await freePort();
    const first = await startTeamServer({ dataDir, port });
    servers.push(first);
    const base = first.base;
    const lead = await signIn(base, first.link);
    const overlap = 2;
    const items = 40;
    const { datasetId, planId } = await publish(base, lead, { pairs: uniquePairs(60, 7), items, overlap });
    const team = await annotators(base, lead, datasetId, 6);
    const work = Promise.all(team.map((who) => annotate({ bases: [base], who, planId, until: Date.now() + 120_000 })));
    await waitFor('20 labels before the kill', async () => {
      const r = await api(base, lead, 'GET', `plans/${planId}/progress`);
      return r.status === 200 && (r.body as { progress: { submitted: number } }).progress.submitted >= 20;
    });
    expect(await first.stop('SIGKILL')).toBeNull();
    const second = await startTeamServer({ dataDir, port });
    servers.push(second);
    const results = await work;
    // Each annotator comes back once more (as the app's outbox keeps trying): an item whose hand-out answer was
    // lost in the crash is theirs again and gets labelled.
    results.push(...(await Promise.all(team.map((who) => annotate({ bases: [base], who, planId, until: Date.now() + 60_000 })))));
    const acked = results.flatMap((r) => r.acked);
    // Requests were in flight when it died: the annotators had to try again.
    expect(results.reduce((s, r) => s + r.retries, 0)).toBeGreaterThan(0);
    expect(await second.stop()).toBe(0);
    const db = await PGlite.create(dataDir);
    try {
      const rows = (await db.query<Row>(ROWS_SQL, [planId])).rows;
      checkStored(rows, acked, overlap, items);
      expect((await db.query<{ n: number }>('select count(*)::int as n from conflicts')).rows[0]!.n).toBe(0);
    } finally {
      await db.close();
    }
  }, 240_000);

  const bin = '/usr/lib/postgresql/15/bin';
  const canRunPostgres = existsSync(`${bin}/initdb`) && process.getuid?.() === 0 && spawnSync('id', ['postgres']).status === 0;
  if (!canRunPostgres)
    console.log(`PostgreSQL restart test: SKIP (it runs a private PostgreSQL 15 from ${bin} as the postgres user, which needs root here)`);

  it.skipIf(!canRunPostgres)(
    'two instances on one PostgreSQL, which restarts in the middle: events cross instances, nothing lost or twice, none over-assigned',
    async () => {
      // A PostgreSQL of the test's own (the machine's shared one is not restarted under other tests).
      const dir = mkdtempSync(join(tmpdir(), 'hyper-pg-'));
      chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
      const data = join(dir, 'data');
      const pgPort = await freePort();
      const asPostgres = (cmd: string, args: string[]) =>
        execFileSync('runuser', ['-u', 'postgres', '--', `${bin}/${cmd}`, ...args], { stdio: 'pipe' });
      asPostgres('initdb', ['-D', data, '--auth=trust', '-U', 'postgres']);
      const ctl = (action: string) =>
        asPostgres('pg_ctl', [
          '-D',
          data,
          '-l',
          join(dir, 'log'),
          '-w',
          '-m',
          'fast',
          '-o',
          `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1`,
          action,
        ]);
      ctl('start');
      try {
        const url = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
        const a = await startTeamServer({ database: url });
        servers.push(a);
        const b = await startTeamServer({ database: url });
        servers.push(b);
        const lead = await signIn(a.base, a.link);
        const overlap = 3;
        const items = 30;
        const { datasetId, planId } = await publish(a.base, lead, { pairs: uniquePairs(40, 11), items, overlap });
        const team = await annotators(a.base, lead, datasetId, 8);
        // The lead watches on instance B; the labels go to both.
        const seen: { submitted: number }[] = [];
        const ctl2 = new AbortController();
        const watch = (async () => {
          for (;;) {
            try {
              const r = await fetch(`${b.base}/api/v1/plans/${planId}/events`, { headers: { cookie: lead }, signal: ctl2.signal });
              const reader = r.body!.getReader();
              let buf = '';
              for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                buf += new TextDecoder().decode(value);
                const cut = buf.lastIndexOf('\n\n');
                if (cut < 0) continue;
                for (const m of buf.slice(0, cut).split('\n\n'))
                  if (m.startsWith('data: ')) seen.push(JSON.parse(m.slice(6)) as { submitted: number });
                buf = buf.slice(cut + 2);
              }
            } catch {
              if (ctl2.signal.aborted) return;
              await new Promise((r) => setTimeout(r, 200));
            }
          }
        })();
        const work = Promise.all(team.map((who) => annotate({ bases: [a.base, b.base], who, planId, until: Date.now() + 120_000 })));
        await waitFor('15 labels before the restart', async () => (seen.at(-1)?.submitted ?? 0) >= 15);
        ctl('restart');
        const results = await work;
        results.push(
          ...(await Promise.all(team.map((who) => annotate({ bases: [b.base, a.base], who, planId, until: Date.now() + 60_000 })))),
        );
        const acked = results.flatMap((r) => r.acked);
        // Both instances lived through it (a lost connection fails a request, never the process).
        expect([a.child.exitCode, a.child.signalCode, b.child.exitCode, b.child.signalCode]).toEqual([null, null, null, null]);
        // B heard of labels that went through A, before and after the restart.
        await waitFor('the last label on B', async () => seen.at(-1)?.submitted === items * overlap, 30_000);
        ctl2.abort();
        await watch;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          checkStored((await client.query<Row>(ROWS_SQL, [planId])).rows, acked, overlap, items);
        } finally {
          await client.end();
        }
      } finally {
        for (const s of servers.splice(0)) await s.stop('SIGKILL');
        ctl('stop');
        rmSync(dir, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
